import type { JobsOptions } from 'bullmq'
import { jobId } from '../queue/names.js'
import type { Queues } from '../queue/queues.js'
import type { ActionRequest, EscalateRequest, RefreshRequest, ReviewRequest } from './messages.js'

/**
 * Puts the next jobs on their queues. Job ids come from the audit event that asked for them,
 * so recording once and enqueueing twice (a retried job, a sweep) still runs the work once.
 */
export type FollowUps = {
  act(req: ActionRequest, attemptTag?: string): Promise<void>
  review(req: ReviewRequest): Promise<void>
  /** act() for many requests, one Redis round trip per queue */
  actAll(reqs: ActionRequest[]): Promise<void>
  /** review() for many requests, in one Redis round trip */
  reviewAll(reqs: ReviewRequest[]): Promise<void>
  /** re-render these subjects' review messages (requestRefresh); a no-op for unposted ones */
  refresh(subjectKeys: string[], causedBy: string): Promise<void>
  /** mail the safety contact about escalated items, retried until the mail server takes it */
  escalate(reqs: EscalateRequest[]): Promise<void>
}

/** The review queue's job name for a message refresh. */
export const REFRESH_JOB = 'refresh'

export function createFollowUps(
  queues: Queues,
  opts: {
    escalationRetryMs?: number
    /**
     * whether review requests are posted anywhere (Slack, or a test's poster), and whether
     * posted messages exist to re-render (Slack). @NOTE without them no worker takes those jobs,
     * so each one would wait in Redis for ever; the web desk reads review items from the audit
     * store, not from the queue
     */
    reviews?: () => { post: boolean; refresh: boolean }
  } = {},
): FollowUps {
  const actQueue = (req: ActionRequest) =>
    req.platform === 'facebook' ? queues.actFacebook : queues.actX
  return {
    async act(req, attemptTag) {
      const id = attemptTag ? jobId('act', req.causedBy, attemptTag) : jobId('act', req.causedBy)
      await actQueue(req).add(req.action, req, { jobId: id, priority: actPriority(req) })
    },
    async review(req) {
      if (opts.reviews?.().post === false) return
      await queues.review.add(req.kind, req, reviewOptions(req))
    },
    async actAll(reqs) {
      const queue = (platform: ActionRequest['platform']) =>
        reqs
          .filter((r) => r.platform === platform)
          .map((r) => ({
            name: r.action,
            data: r,
            opts: { jobId: jobId('act', r.causedBy), priority: actPriority(r) },
          }))
      const facebook = queue('facebook')
      const x = queue('x')
      await Promise.all([
        facebook.length > 0 ? queues.actFacebook.addBulk(facebook) : undefined,
        x.length > 0 ? queues.actX.addBulk(x) : undefined,
      ])
    },
    async reviewAll(reqs) {
      if (reqs.length === 0 || opts.reviews?.().post === false) return
      await queues.review.addBulk(
        reqs.map((r) => ({ name: r.kind, data: r, opts: reviewOptions(r) })),
      )
    },
    async escalate(reqs) {
      if (reqs.length === 0) return
      await queues.escalate.addBulk(
        reqs.map((data) => ({
          name: 'escalate',
          data,
          opts: {
            jobId: jobId('escalate', data.causedBy),
            priority: 1,
            // @NOTE about a day of tries at the default 30 s; the last failure raises an alert
            attempts: 12,
            backoff: { type: 'exponential', delay: opts.escalationRetryMs ?? 30_000 },
          },
        })),
      )
    },
    async refresh(subjectKeys, causedBy) {
      if (subjectKeys.length === 0 || opts.reviews?.().refresh === false) return
      await queues.review.addBulk(
        [...new Set(subjectKeys)].map((subjectKey) => {
          const data: RefreshRequest = { v: 1, subjectKey, causedBy }
          return {
            name: REFRESH_JOB,
            data,
            opts: {
              jobId: jobId('refresh', subjectKey, causedBy),
              priority: 3,
              attempts: 12,
              backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
            },
          }
        }),
      )
    },
  }
}

/**
 * @NOTE BullMQ runs jobs without a priority before all prioritised ones, so every act job gets
 * one: urgent hides first, then what a person asked for, then the rest.
 */
function actPriority(req: ActionRequest): number {
  if (req.urgent) return 1
  return req.requestedBy.kind === 'moderator' ? 2 : 5
}

function reviewOptions(req: ReviewRequest): JobsOptions {
  return {
    jobId: jobId('review', req.causedBy),
    // @NOTE urgent items (threats, safeguarding) jump the review queue
    priority: req.urgent ? 1 : 5,
    // @NOTE Slack can be down for hours: keep trying for about a day before giving up
    attempts: 16,
    backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
  }
}
