import { type DefaultJobOptions, Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import type {
  ActionRequest,
  ModerateMessage,
  RefreshRequest,
  ReviewRequest,
} from '../pipeline/messages.js'
import { QUEUE_NAMES } from './names.js'

/**
 * @NOTE completed jobs are kept for 48 hours: BullMQ only drops a re-added job id while the
 * earlier job is still stored, and Meta redelivers webhooks for up to 36 hours.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
  removeOnComplete: { age: 48 * 3600, count: 200_000 },
  removeOnFail: { count: 10_000 },
}

export type Queues = {
  moderate: Queue<ModerateMessage>
  actFacebook: Queue<ActionRequest>
  actX: Queue<ActionRequest>
  /** review posts, and refreshes of posted messages (job name 'refresh') */
  review: Queue<ReviewRequest | RefreshRequest>
  all(): Queue[]
  close(): Promise<void>
}

export function createQueues(connection: Redis, prefix = 'wg'): Queues {
  const make = <T>(name: string) =>
    new Queue<T>(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS })
  const moderate = make<ModerateMessage>(QUEUE_NAMES.moderate)
  const actFacebook = make<ActionRequest>(QUEUE_NAMES.actFacebook)
  const actX = make<ActionRequest>(QUEUE_NAMES.actX)
  const review = make<ReviewRequest | RefreshRequest>(QUEUE_NAMES.review)
  const list = [moderate, actFacebook, actX, review] as Queue[]
  return {
    moderate,
    actFacebook,
    actX,
    review,
    all: () => list,
    close: async () => {
      await Promise.all(list.map((q) => q.close()))
    },
  }
}
