import type { Queue } from 'bullmq'

/** A job BullMQ gave up on, as the audit app lists it. */
export type FailedJob = {
  queue: string
  id: string
  name: string
  /** BullMQ's failedReason, cut short: it names the error, never a comment's text by design */
  reason: string
  attempts: number
  failedAt: string | null
}

export type FailedJobs = { total: number; byQueue: Record<string, number>; recent: FailedJob[] }

/**
 * What sits in BullMQ's failed sets. @NOTE nothing may end there unseen: /readyz, /metrics and
 * the audit app's overview all show it, so someone can look, fix and retry.
 */
export async function readFailedJobs(queues: Queue[], limit = 20): Promise<FailedJobs> {
  const byQueue: Record<string, number> = {}
  const recent: FailedJob[] = []
  for (const queue of queues) {
    const n = await queue.getFailedCount()
    byQueue[queue.name] = n
    if (n === 0) continue
    for (const job of await queue.getFailed(0, limit - 1)) {
      recent.push({
        queue: queue.name,
        id: String(job.id),
        name: job.name,
        reason: (job.failedReason ?? '').slice(0, 200),
        attempts: job.attemptsMade,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      })
    }
  }
  recent.sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''))
  const total = Object.values(byQueue).reduce((a, b) => a + b, 0)
  return { total, byQueue, recent: recent.slice(0, limit) }
}
