import type { Redis } from 'ioredis'

export type PileOnCheck = {
  accountId: string
  postId: string
  subjectKey: string
  now: number
  windowMs: number
  threshold: number
}

/**
 * Counts flagged comments on one post over a sliding window. Returns the count when this comment
 * is the one that crosses the threshold (once per window, so the channel gets one alert, not
 * one per comment), otherwise null.
 */
export async function notePileOn(
  redis: Redis,
  check: PileOnCheck,
  prefix = 'wg',
): Promise<number | null> {
  const key = `${prefix}:pileon:${check.accountId}:${check.postId}`
  const results = (await redis
    .multi()
    .zadd(key, 'NX', check.now, check.subjectKey)
    .zremrangebyscore(key, 0, check.now - check.windowMs)
    .zcard(key)
    .pexpire(key, check.windowMs)
    .exec()) as [Error | null, number][]
  const count = results[2]?.[1] ?? 0
  if (count < check.threshold) return null
  const fresh = await redis.set(`${key}:alerted`, String(check.now), 'PX', check.windowMs, 'NX')
  return fresh === 'OK' ? count : null
}
