import type { Ingest } from '../connectors/types.js'
import { jobId } from '../queue/names.js'
import type { Queues } from '../queue/queues.js'
import type { ModerateMessage } from './messages.js'

/**
 * Turns normalised comments into moderate jobs. The job id is the comment, its content and its
 * verb: Meta and X redeliveries (even in a different batch) map to the same job and are dropped
 * by BullMQ; an edit has new content, hence a new job and a new decision.
 */
export function createIngest(queues: Queues): Ingest {
  return async (comments, delivery) => {
    if (comments.length === 0) return
    await queues.moderate.addBulk(
      comments.map((comment) => {
        const data: ModerateMessage = {
          v: 1,
          comment,
          deliveryKey: delivery.deliveryKey,
          receivedAt: delivery.receivedAt,
        }
        const id = jobId('mod', comment.subjectKey, comment.contentHash.slice(0, 16), comment.verb)
        return { name: comment.verb, data, opts: { jobId: id } }
      }),
    )
  }
}
