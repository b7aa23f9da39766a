import type { Ingest } from '../connectors/types.js'
import { AppError } from '../errors.js'
import { jobId } from '../queue/names.js'
import type { Queues } from '../queue/queues.js'
import type { ModerateMessage } from './messages.js'
import { storableComment } from './storable.js'

/** Comments per moderate job: one transaction each, small enough to retry cheaply. */
export const MODERATE_CHUNK = 100

/** How long a webhook waits for Redis to take its jobs before it answers 503. */
export const DEFAULT_ENQUEUE_TIMEOUT_MS = 1_500

/**
 * Turns one delivery's normalised comments into moderate jobs. The job id is the delivery (its
 * hash) and the chunk: an identical redelivery maps to the same jobs and BullMQ drops it; a
 * comment that comes again in another batch is deduplicated by the audit log instead.
 * @NOTE the enqueue is bounded: with Redis away, ioredis would hold the command until it comes
 * back (the platform gives up and redelivers long before). A timed-out add may still land once
 * Redis returns; the redelivery then maps to the same job ids and adds nothing.
 */
export function createIngest(queues: Queues, opts: { timeoutMs?: number } = {}): Ingest {
  const milliseconds = opts.timeoutMs ?? DEFAULT_ENQUEUE_TIMEOUT_MS
  return async (comments, delivery) => {
    if (comments.length === 0) return
    // @NOTE repaired at the door: one unstorable comment must not sink its delivery's job
    comments = comments.map(storableComment)
    const jobs = []
    for (let i = 0; i < comments.length; i += MODERATE_CHUNK) {
      const data: ModerateMessage = {
        v: 1,
        comments: comments.slice(i, i + MODERATE_CHUNK),
        deliveryKey: delivery.deliveryKey,
        receivedAt: delivery.receivedAt,
      }
      const id = jobId('mod', delivery.deliveryKey, String(i / MODERATE_CHUNK))
      jobs.push({ name: 'moderate', data, opts: { jobId: id } })
    }
    await withinOrUnavailable(queues.moderate.addBulk(jobs), milliseconds)
  }
}

/**
 * `work`, or a retryable AppError once `milliseconds` have passed.
 * @NOTE not p-timeout here: it makes a TimeoutError, stack and all, for every call, and this
 * runs for every delivery on the HTTP thread (bench/pipeline.ts profile: a visible share)
 */
async function withinOrUnavailable<T>(work: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError(
            'dependency_unavailable',
            `the queue did not take the delivery within ${milliseconds} ms`,
            { retryable: true },
          ),
        ),
      milliseconds,
    )
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}
