import type { Redis } from 'ioredis'

/**
 * Strikes per author per account over a sliding window, kept in a Redis sorted set scored by
 * time. A strike is a comment the policy hid or sent to review; the engine reads the count.
 */
export type StrikeStore = {
  count(accountId: string, authorId: string, now: number, windowMs: number): Promise<number>
  add(
    accountId: string,
    authorId: string,
    strikeId: string,
    now: number,
    windowMs: number,
  ): Promise<number>
}

export function createStrikeStore(redis: Redis, prefix = 'wg'): StrikeStore {
  const key = (accountId: string, authorId: string) => `${prefix}:strikes:${accountId}:${authorId}`
  return {
    async count(accountId, authorId, now, windowMs) {
      const k = key(accountId, authorId)
      const results = (await redis
        .multi()
        .zremrangebyscore(k, 0, now - windowMs)
        .zcard(k)
        .exec()) as [Error | null, number][]
      return results[1]?.[1] ?? 0
    },
    async add(accountId, authorId, strikeId, now, windowMs) {
      const k = key(accountId, authorId)
      // @NOTE the member is the comment's subject key: a redelivered or retried job adds nothing
      const results = (await redis
        .multi()
        .zadd(k, 'NX', now, strikeId)
        .zremrangebyscore(k, 0, now - windowMs)
        .pexpire(k, windowMs)
        .zcard(k)
        .exec()) as [Error | null, number][]
      return results[3]?.[1] ?? 0
    },
  }
}
