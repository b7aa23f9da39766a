import type { Redis } from 'ioredis'
import { z } from 'zod'
import type { Db } from '../audit/index.js'
import { eventsCausedBy, recordEvent } from '../audit/index.js'
import type { ReviewItem } from '../connectors/slack/types.js'
import type { AccountDirectory } from './accounts.js'
import type { FollowUps } from './follow-ups.js'
import type { ReviewRequest } from './messages.js'
import { buildReviewItem } from './review-items.js'
import type { StrikeStore } from './strikes.js'

const PostedSchema = z.object({ channel: z.string(), ts: z.string() })

export type ReviewStageDeps = {
  db: Db
  accounts: AccountDirectory
  strikes: StrikeStore
  post: (item: ReviewItem) => Promise<{ channel: string; ts: string }>
  /** remembers a post until it is recorded (see runReview); without it a retry may post twice */
  redis?: Redis
  /** asks for a refresh when the comment changed while it was being posted */
  followUps?: Pick<FollowUps, 'refresh'>
}

/** How long a post is remembered while its record is retried: longer than the job's retries. */
const POSTED_MEMORY_SECONDS = 3 * 86_400

/**
 * The review job: post one item to the account's Slack channel and record where it went.
 * Slack down or rate-limited: the poster throws a retryable error and the job waits in the
 * queue; the comment stays as the policy left it (hidden pending review, or visible).
 */
export async function runReview(req: ReviewRequest, deps: ReviewStageDeps): Promise<void> {
  // a redelivered or retried job whose post is already recorded: nothing to do
  const caused = await eventsCausedBy(deps.db, req.causedBy)
  if (caused.some((e) => e.type === 'review.posted')) return
  const item = await buildReviewItem(deps, req.subjectKey, req)
  if (!item) return
  // @NOTE posted but not recorded (the store failed just then): the retry records the post it
  // remembers instead of posting the same item to the channel a second time
  const memoryKey = `wg:review-posted:${req.causedBy}`
  const remembered = deps.redis ? await deps.redis.get(memoryKey) : null
  const posted = remembered ? PostedSchema.parse(JSON.parse(remembered)) : await deps.post(item)
  if (!remembered && deps.redis)
    await deps.redis.set(memoryKey, JSON.stringify(posted), 'EX', POSTED_MEMORY_SECONDS)
  const recorded = await recordEvent(deps.db, {
    type: 'review.posted',
    subjectKey: req.subjectKey,
    platform: req.platform,
    // @NOTE alerts (a pile-on is about a post) have no comment
    commentId: item.commentId || null,
    accountId: item.accountId,
    actor: { kind: 'system', id: 'review-worker' },
    meta: { channel: posted.channel, ts: posted.ts, kind: req.kind },
    causedBy: req.causedBy,
    dedupeKey: `${req.causedBy}/review.posted`,
  })
  // @NOTE the policy's hide (or a platform echo) can land between reading the state and
  // recording the post, when no refresh could find the message yet: look once more
  if (req.kind !== 'comment' || !deps.followUps) return
  const now = await buildReviewItem(deps, req.subjectKey, req)
  if (now && (now.state !== item.state || Boolean(now.resolution) !== Boolean(item.resolution)))
    await deps.followUps.refresh([req.subjectKey], recorded.event.id)
}
