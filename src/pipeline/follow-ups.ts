import { jobId } from '../queue/names.js'
import type { Queues } from '../queue/queues.js'
import type { ActionRequest, ReviewRequest } from './messages.js'

/**
 * Puts the next jobs on their queues. Job ids come from the audit event that asked for them,
 * so recording once and enqueueing twice (a retried job, a sweep) still runs the work once.
 */
export type FollowUps = {
  act(req: ActionRequest, attemptTag?: string): Promise<void>
  review(req: ReviewRequest): Promise<void>
}

export function createFollowUps(queues: Queues): FollowUps {
  return {
    async act(req, attemptTag) {
      const queue = req.platform === 'facebook' ? queues.actFacebook : queues.actX
      const id = attemptTag ? jobId('act', req.causedBy, attemptTag) : jobId('act', req.causedBy)
      await queue.add(req.action, req, { jobId: id })
    },
    async review(req) {
      // @NOTE urgent items (threats, safeguarding) jump the review queue
      await queues.review.add(req.kind, req, {
        jobId: jobId('review', req.causedBy),
        priority: req.urgent ? 1 : 5,
        // @NOTE Slack can be down for hours: keep trying for about a day before giving up
        attempts: 16,
        backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
      })
    },
  }
}
