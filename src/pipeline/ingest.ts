import type { Ingest } from '../connectors/types.js'
import { jobId } from '../queue/names.js'
import type { Queues } from '../queue/queues.js'
import type { ModerateMessage } from './messages.js'

/** Comments per moderate job: one transaction each, small enough to retry cheaply. */
export const MODERATE_CHUNK = 100

/**
 * Turns one delivery's normalised comments into moderate jobs. The job id is the delivery (its
 * hash) and the chunk: an identical redelivery maps to the same jobs and BullMQ drops it; a
 * comment that comes again in another batch is deduplicated by the audit log instead.
 */
export function createIngest(queues: Queues): Ingest {
  return async (comments, delivery) => {
    if (comments.length === 0) return
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
    await queues.moderate.addBulk(jobs)
  }
}
