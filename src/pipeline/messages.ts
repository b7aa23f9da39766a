/**
 * Messages that travel between stages through Redis. They outlive deploys, so they are
 * versioned (`v: 1`), JSON-safe (ISO strings, never Date) and parsed with zod at each worker.
 */
import { z } from 'zod'

export const PlatformSchema = z.enum(['facebook', 'x'])
export type Platform = z.infer<typeof PlatformSchema>

/** What a comment event is: a new comment, an edit, or an echo of something done on the platform. */
export const CommentVerbSchema = z.enum(['add', 'edited', 'remove', 'hide', 'unhide'])
export type CommentVerb = z.infer<typeof CommentVerbSchema>

/**
 * One comment (or reply / mention), normalised from any platform. `subjectKey` is
 * `<platform>.<commentId>`: no ':' so it can be part of a BullMQ job id.
 */
export const CommentEnvelopeSchema = z.object({
  v: z.literal(1),
  platform: PlatformSchema,
  verb: CommentVerbSchema,
  subjectKey: z.string(),
  commentId: z.string(),
  /** the post / tweet the comment sits under */
  postId: z.string().nullable(),
  /** the comment replied to, when it is a reply to a reply */
  parentId: z.string().nullable(),
  /** our Facebook Page id or X user id */
  accountId: z.string(),
  author: z.object({ id: z.string(), name: z.string().nullable() }),
  text: z.string(),
  permalink: z.string().nullable(),
  createdAt: z.string(),
  /** sha256 of the text: an edit yields a new hash, hence a new decision */
  contentHash: z.string(),
  /** how it reached us */
  source: z.enum(['webhook', 'poller', 'replay', 'demo']),
  /** what was replaced so that the audit store can keep it (storable.ts); absent when nothing */
  repaired: z.array(z.enum(['nul', 'lone_surrogate'])).optional(),
})
export type CommentEnvelope = z.infer<typeof CommentEnvelopeSchema>

/**
 * One delivery's comments (split into chunks), moderated in one job and one transaction:
 * a job per comment would cost more in Redis round trips than the moderation itself.
 */
export const ModerateMessageSchema = z.object({
  v: z.literal(1),
  comments: z.array(CommentEnvelopeSchema).min(1),
  /** sha256 prefix of the raw delivery that carried it, for tracing */
  deliveryKey: z.string(),
  receivedAt: z.string(),
})
export type ModerateMessage = z.infer<typeof ModerateMessageSchema>

/** What the service can do on a platform. Delete and ban are only ever asked for by a person. */
/** `reply` posts a moderator's explanation as the account, under the comment (or its post). */
export const PlatformActionSchema = z.enum([
  'hide',
  'unhide',
  'delete',
  'ban',
  'mute',
  'block',
  'reply',
])
export type PlatformAction = z.infer<typeof PlatformActionSchema>

export const ActorSchema = z.object({
  kind: z.enum(['system', 'policy', 'moderator', 'platform']),
  id: z.string(),
})
export type Actor = z.infer<typeof ActorSchema>

export const ActionRequestSchema = z.object({
  v: z.literal(1),
  platform: PlatformSchema,
  accountId: z.string(),
  subjectKey: z.string(),
  commentId: z.string(),
  authorId: z.string(),
  action: PlatformActionSchema,
  /** reply only: the text to post (a moderator's explanation, never comment text) */
  message: z.string().min(1).max(8_000).optional(),
  requestedBy: ActorSchema,
  /** id of the action.requested audit event this request carries out */
  causedBy: z.string(),
  /** threats, personal data, safeguarding: hidden before anything else in the queue */
  urgent: z.boolean().optional(),
})
export type ActionRequest = z.infer<typeof ActionRequestSchema>

export const ReviewRequestSchema = z.object({
  v: z.literal(1),
  platform: PlatformSchema,
  accountId: z.string(),
  subjectKey: z.string(),
  /** id of the review.requested audit event */
  causedBy: z.string(),
  kind: z.enum(['comment', 'pile_on', 'token_alert', 'platform_alert']),
  urgent: z.boolean(),
})
export type ReviewRequest = z.infer<typeof ReviewRequestSchema>

/**
 * Re-render a posted review message from the audit store (its comment's state changed, it was
 * decided or escalated, its text was purged). Carried on the review queue, which already waits
 * out Slack's outages and rate limits.
 */
export const RefreshRequestSchema = z.object({
  v: z.literal(1),
  subjectKey: z.string().min(1),
  /** the event that changed what the message should say */
  causedBy: z.string().min(1),
})
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>
