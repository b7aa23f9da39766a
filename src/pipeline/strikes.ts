import type { Redis } from 'ioredis'

/**
 * Strikes per author per account over a sliding window, kept in a Redis sorted set scored by
 * time. A strike is a comment the policy hid or sent to review; the engine reads the count.
 */
export type StrikeStore = {
  /** strikes in the window, not counting `exclude` (the comment being judged, on a retry) */
  count(
    accountId: string,
    authorId: string,
    now: number,
    windowMs: number,
    exclude?: string,
  ): Promise<number>
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
    async count(accountId, authorId, now, windowMs, exclude) {
      const k = key(accountId, authorId)
      const results = (await redis
        .multi()
        .zremrangebyscore(k, 0, now - windowMs)
        .zcard(k)
        .zscore(k, exclude ?? '')
        .exec()) as [Error | null, number | string | null][]
      const total = Number(results[1]?.[1] ?? 0)
      return results[2]?.[1] === null || results[2]?.[1] === undefined ? total : total - 1
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
