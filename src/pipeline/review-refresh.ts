import { z } from 'zod'
import { eventsForSubject } from '../audit/index.js'
import { SlackApiError } from '../connectors/slack/errors.js'
import type { PostedMessage, ReviewItem } from '../connectors/slack/types.js'
import { queueLogger } from '../logger.js'
import type { RefreshRequest } from './messages.js'
import { buildReviewItem, type ReviewItemDeps } from './review-items.js'

export type RefreshDeps = ReviewItemDeps & {
  update: (at: PostedMessage, item: ReviewItem) => Promise<void>
}

const PostedMetaSchema = z.object({ channel: z.string().min(1), ts: z.string().min(1) })

/**
 * The refresh job (requestRefresh → refreshReviewMessage): re-renders the subject's posted
 * review message from the audit store, so it shows the comment's state now (hidden by the
 * policy, unhidden, deleted, changed on the platform), the decision, the escalation, or that
 * retention purged its text. Nothing posted yet: nothing to do (the post reads the state then).
 * Slack down or rate-limited: the error is retryable and the job waits in the queue.
 */
export async function refreshReview(req: RefreshRequest, deps: RefreshDeps): Promise<void> {
  const events = await eventsForSubject(deps.db, req.subjectKey)
  const posted = [...events]
    .reverse()
    .find(
      (e) => e.type === 'review.posted' && (e.meta.kind === 'comment' || e.meta.kind === 'pile_on'),
    )
  if (!posted) return
  const at = PostedMetaSchema.safeParse(posted.meta)
  if (!at.success) return
  const item = await buildReviewItem(deps, req.subjectKey)
  if (!item) return
  try {
    await deps.update(at.data, item)
  } catch (err) {
    // @NOTE deleted from the channel, or the channel archived: there is nothing left to correct
    if (
      err instanceof SlackApiError &&
      (err.code === 'platform_object_gone' || err.code === 'platform_forbidden')
    ) {
      queueLogger.warn(
        { subjectKey: req.subjectKey, slackError: err.slackError },
        'review message could not be refreshed',
      )
      return
    }
    throw err
  }
}
