/** Row ↔ domain mapping. Rows never leave src/audit/; callers see AuditEvent and friends. */
import type { AuditEvent, JsonObject, SubjectStatus, Tool } from './events.js'

type Row = Record<string, unknown>

// @NOTE ids are cast to text: PGlite turns int8 into a JS number (or bigint past 2^53), pg into a
// string; text is exact and the same on both. The alias shadows the column in ORDER BY, so
// queries order by a qualified e.id.
export const EVENT_COLUMNS = `id::text as id, type, subject_key, platform, comment_id, post_id,
  author_id, account_id, actor_kind, actor_id, tool, rule_ids, categories, reason, meta,
  caused_by::text as caused_by, dedupe_key, created_at, prev_hash, hash`

export const STATUS_COLUMNS = `subject_key, platform, comment_id, post_id, account_id, author_id,
  visibility, review_state, last_decision, last_action, categories, content_hash,
  last_event_id::text as last_event_id, last_reviewed_by, last_reviewed_at, created_at, updated_at`

export function fromEventRow(r: Row): AuditEvent {
  return {
    id: String(r.id),
    type: r.type as AuditEvent['type'],
    subjectKey: String(r.subject_key),
    platform: r.platform as AuditEvent['platform'],
    commentId: nullableText(r.comment_id),
    postId: nullableText(r.post_id),
    authorId: nullableText(r.author_id),
    accountId: nullableText(r.account_id),
    actor: { kind: r.actor_kind as AuditEvent['actor']['kind'], id: String(r.actor_id) },
    tool: (r.tool ?? null) as Tool | null,
    ruleIds: (r.rule_ids ?? []) as string[],
    categories: (r.categories ?? []) as string[],
    reason: nullableText(r.reason),
    meta: (r.meta ?? {}) as JsonObject,
    causedBy: nullableText(r.caused_by),
    dedupeKey: String(r.dedupe_key),
    createdAt: isoOf(r.created_at),
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  }
}

export function fromStatusRow(r: Row): SubjectStatus {
  return {
    subjectKey: String(r.subject_key),
    platform: r.platform as SubjectStatus['platform'],
    commentId: String(r.comment_id),
    postId: nullableText(r.post_id),
    accountId: String(r.account_id),
    authorId: nullableText(r.author_id),
    visibility: r.visibility as SubjectStatus['visibility'],
    reviewState: r.review_state as SubjectStatus['reviewState'],
    lastDecision: (r.last_decision ?? null) as SubjectStatus['lastDecision'],
    lastAction: (r.last_action ?? null) as SubjectStatus['lastAction'],
    categories: (r.categories ?? []) as string[],
    contentHash: nullableText(r.content_hash),
    lastEventId: String(r.last_event_id),
    lastReviewedBy: nullableText(r.last_reviewed_by),
    lastReviewedAt: r.last_reviewed_at == null ? null : isoOf(r.last_reviewed_at),
    createdAt: isoOf(r.created_at),
    updatedAt: isoOf(r.updated_at),
  }
}

/** Parameters for the status columns, in STATUS_PARAMS order. */
export function statusParams(s: SubjectStatus): unknown[] {
  return [
    s.subjectKey,
    s.platform,
    s.commentId,
    s.postId,
    s.accountId,
    s.authorId,
    s.visibility,
    s.reviewState,
    s.lastDecision,
    s.lastAction,
    s.categories,
    s.contentHash,
    s.lastEventId,
    s.lastReviewedBy,
    s.lastReviewedAt,
    s.createdAt,
    s.updatedAt,
  ]
}

/** Parameters for an event insert, in column order of insertEvent(). */
export function eventParams(e: AuditEvent): unknown[] {
  return [
    e.id,
    e.type,
    e.subjectKey,
    e.platform,
    e.commentId,
    e.postId,
    e.authorId,
    e.accountId,
    e.actor.kind,
    e.actor.id,
    e.tool === null ? null : JSON.stringify(e.tool),
    e.ruleIds,
    e.categories,
    e.reason,
    JSON.stringify(e.meta),
    e.causedBy,
    e.dedupeKey,
    e.createdAt,
    e.prevHash,
    e.hash,
  ]
}

export function isoOf(v: unknown): string {
  return (v instanceof Date ? v : new Date(String(v))).toISOString()
}

function nullableText(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v)
}
