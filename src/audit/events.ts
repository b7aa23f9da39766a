/**
 * The audit vocabulary: what can be recorded, validated with zod at the store's door, and the
 * derived per-comment status. Events never carry comment text (see snapshot.ts for that).
 */
import { z } from 'zod'
import { ActorSchema, PlatformActionSchema, PlatformSchema } from '../pipeline/messages.js'

export const AUDIT_EVENT_TYPES = [
  'comment.received',
  'comment.edited',
  'comment.removed_on_platform',
  'comment.hidden_on_platform',
  'comment.unhidden_on_platform',
  // a comment the store could not keep (its reason says why); it was not moderated
  'comment.rejected',
  'decision.made',
  'action.requested',
  'action.applied',
  'action.failed',
  'action.parked',
  // an action that was not carried out because a person decided otherwise first
  'action.cancelled',
  'review.requested',
  'review.posted',
  'review.resolved',
  'review.escalated',
  'alert.raised',
  'retention.purged',
  // onboarding: an account connected, its settings changed, or removed (its history stays)
  'account.connected',
  'account.updated',
  'account.removed',
  // issue 17: a candidate policy or model shadowing an account, and the switch to it
  'shadow.started',
  'shadow.stopped',
  'shadow.switched',
  'note',
] as const
export const AuditEventTypeSchema = z.enum(AUDIT_EVENT_TYPES)
export type AuditEventType = z.infer<typeof AuditEventTypeSchema>

/** 'system' marks events about the store or the service rather than one comment. */
export const AuditPlatformSchema = z.union([PlatformSchema, z.literal('system')])
export type AuditPlatform = z.infer<typeof AuditPlatformSchema>

export const DecisionKindSchema = z.enum(['allow', 'act', 'review'])
export type DecisionKind = z.infer<typeof DecisionKindSchema>

const JsonObjectSchema = z.record(z.string(), z.json())
export type JsonObject = z.infer<typeof JsonObjectSchema>

export const ToolSchema = z.object({
  name: z.string().min(1),
  version: z.string().optional(),
  meta: JsonObjectSchema.optional(),
})
export type Tool = z.infer<typeof ToolSchema>

const isoDate = z.iso.datetime({ offset: true })

export const AuditEventInputSchema = z.object({
  type: AuditEventTypeSchema,
  /** '<platform>.<commentId>' for comment events */
  subjectKey: z.string().min(1),
  platform: AuditPlatformSchema,
  /** null only for events that are not about one comment (platform 'system', alerts) */
  commentId: z.string().min(1).nullable(),
  postId: z.string().nullish(),
  authorId: z.string().nullish(),
  accountId: z.string().min(1).nullable(),
  actor: ActorSchema,
  tool: ToolSchema.nullish(),
  ruleIds: z.array(z.string()).optional(),
  categories: z.array(z.string()).optional(),
  /** a person's explanation or a short machine reason; never the comment's text */
  reason: z.string().nullish(),
  meta: JsonObjectSchema.optional(),
  /** id of the event that led to this one */
  causedBy: z.string().regex(/^\d+$/).nullish(),
  /** what makes the fact unique, e.g. '<subjectKey>/<contentHash>/<type>' or '<causedBy>/<type>' */
  dedupeKey: z.string().min(1),
  /** when the fact happened; defaults to now. Stored at millisecond precision. */
  at: isoDate.optional(),
})
/**
 * What callers pass to recordEvent. meta and tool.meta may hold any JSON-able values: they are
 * normalised through JSON (undefined members dropped) before validation and hashing.
 */
export type AuditEventInput = Omit<
  z.input<typeof AuditEventInputSchema>,
  'meta' | 'tool' | 'type' | 'platform'
> & {
  type: AuditEventType
  platform: AuditPlatform
  meta?: Record<string, unknown>
  tool?: { name: string; version?: string; meta?: Record<string, unknown> } | null
}

/** A recorded event: every optional input field is present, null or empty. */
export type AuditEvent = {
  id: string
  type: AuditEventType
  subjectKey: string
  platform: AuditPlatform
  commentId: string | null
  postId: string | null
  authorId: string | null
  accountId: string | null
  actor: z.infer<typeof ActorSchema>
  tool: Tool | null
  ruleIds: string[]
  categories: string[]
  reason: string | null
  meta: JsonObject
  causedBy: string | null
  dedupeKey: string
  createdAt: string
  prevHash: string
  hash: string
}

/**
 * The meta fields the store itself relies on (status folding, retention, evidence). Anything
 * else may ride along; objects are loose on purpose.
 */
const META_SCHEMAS: Partial<Record<AuditEventType, z.ZodType>> = {
  'comment.received': z.looseObject({ contentHash: z.string().min(1) }),
  'comment.edited': z.looseObject({ contentHash: z.string().min(1) }),
  'decision.made': z.looseObject({
    decision: DecisionKindSchema,
    action: PlatformActionSchema.nullish(),
  }),
  'action.requested': z.looseObject({ action: PlatformActionSchema }),
  'action.applied': z.looseObject({ action: PlatformActionSchema }),
  'action.failed': z.looseObject({ action: PlatformActionSchema }),
  'action.parked': z.looseObject({ action: PlatformActionSchema }),
  'action.cancelled': z.looseObject({ action: PlatformActionSchema }),
  'retention.purged': z.looseObject({ purged: z.number().int().min(0) }),
}

export function metaSchemaFor(type: AuditEventType): z.ZodType | undefined {
  return META_SCHEMAS[type]
}

export type Visibility = 'visible' | 'hidden' | 'deleted'
export type ReviewState = 'none' | 'open' | 'escalated' | 'closed'

/** Derived, one per comment; can be rebuilt by folding its events through nextStatus(). */
export type SubjectStatus = {
  subjectKey: string
  platform: AuditPlatform
  commentId: string
  postId: string | null
  accountId: string
  authorId: string | null
  visibility: Visibility
  reviewState: ReviewState
  lastDecision: DecisionKind | null
  /** the last platform action that was applied (hide, delete, ban …) */
  lastAction: z.infer<typeof PlatformActionSchema> | null
  categories: string[]
  contentHash: string | null
  lastEventId: string
  lastReviewedBy: string | null
  lastReviewedAt: string | null
  createdAt: string
  updatedAt: string
}
