import type { Db } from '../audit/index.js'
import { recordEvent } from '../audit/index.js'
import type { ReviewItem } from '../connectors/slack/types.js'
import type { AccountDirectory } from './accounts.js'
import type { ReviewRequest } from './messages.js'
import { buildReviewItem } from './review-items.js'
import type { StrikeStore } from './strikes.js'

export type ReviewStageDeps = {
  db: Db
  accounts: AccountDirectory
  strikes: StrikeStore
  post: (item: ReviewItem) => Promise<{ channel: string; ts: string }>
}

/**
 * The review job: post one item to the account's Slack channel and record where it went.
 * Slack down or rate-limited: the poster throws a retryable error and the job waits in the
 * queue; the comment stays as the policy left it (hidden pending review, or visible).
 */
export async function runReview(req: ReviewRequest, deps: ReviewStageDeps): Promise<void> {
  const item = await buildReviewItem(deps, req.subjectKey, req)
  if (!item) return
  const posted = await deps.post(item)
  await recordEvent(deps.db, {
    type: 'review.posted',
    subjectKey: req.subjectKey,
    platform: req.platform,
    commentId: item.commentId,
    accountId: item.accountId,
    actor: { kind: 'system', id: 'review-worker' },
    meta: { channel: posted.channel, ts: posted.ts, kind: req.kind },
    causedBy: req.causedBy,
    dedupeKey: `${req.causedBy}/review.posted`,
  })
}
