export { commentsOf, countAccountEvents } from './account-query.js'
export { type ActChecks, actChecks, hidePendingBefore, SETTLED_TYPES } from './act-checks.js'
export {
  type AuditSink,
  type AuditWrite,
  AuditWriter,
  type AuditWriterOptions,
  directSink,
  recordVia,
} from './audit-writer.js'
export { canonicalJson, eventHash, GENESIS_HASH } from './canonical.js'
export {
  type ChainBreak,
  type ChainHead,
  type ChainVerification,
  verifyChain,
} from './chain.js'
export type { Db, DbKind } from './db.js'
export { type ExportedDecision, exportDecisions, isDisagreement } from './decision-export.js'
export {
  type AccountNumbers,
  accountNumbers,
  authorItems,
  authorSanctions,
  type DeskItem,
  deskItem,
  moderatorIds,
  openReviewItems,
  QUEUE_SORTS,
  type QueueSort,
  statusesFor,
} from './desk.js'
export { type Disagreement, listDisagreements } from './disagreements.js'
export {
  AUDIT_EVENT_TYPES,
  type AuditEvent,
  type AuditEventInput,
  AuditEventInputSchema,
  type AuditEventType,
  type AuditPlatform,
  type DecisionKind,
  type JsonObject,
  type ReviewState,
  type SubjectStatus,
  type Tool,
  type Visibility,
} from './events.js'
export { type HandReport, reportForReview } from './hand-report.js'
export { loadMigrations, type Migration, migrate, migrated } from './migrate.js'
export { type OpenDatabaseOptions, openDatabase } from './open.js'
export { type DayCount, loadOverview, type Overview } from './overview.js'
export { flaggedOnPost } from './post-query.js'
export {
  countOpenReviews,
  type EventFilter,
  type EventPage,
  eventsCausedBy,
  eventsForSubject,
  findStaleActionRequests,
  getStatus,
  listEvents,
  MAX_PAGE_SIZE,
} from './query.js'
export {
  type BulkEventInput,
  type CauseKey,
  type EventRef,
  type Recorded,
  recordEvent,
  recordEvents,
} from './record.js'
export { type StoredComment, storedComments } from './replay.js'
export {
  type PendingRedaction,
  type PurgeResult,
  purgesAwaitingRedaction,
  purgeText,
  type RetentionRules,
  RetentionRulesSchema,
  recordRedactionQueued,
  recordRetentionNote,
} from './retention.js'
export {
  type AccountEngine,
  accountEngines,
  getShadowRun,
  listShadowRuns,
  recordShadowDecisions,
  runningShadowRuns,
  type ShadowDay,
  type ShadowDecisionRow,
  type ShadowRun,
  shadowChanges,
  shadowDays,
  startShadowRun,
  stopShadowRun,
  switchToCandidate,
} from './shadow.js'
export {
  type CommentSnapshot,
  getSnapshot,
  getSnapshots,
  type SnapshotInput,
  type SnapshotReason,
  saveSnapshot,
  saveSnapshots,
} from './snapshot.js'
export { foldsIntoStatus, nextStatus } from './status.js'
