import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'

// release only our own lock, never one another process took after ours lapsed
const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"

/**
 * Runs `fn` while holding a Redis lock (SET NX PX) shared by every Wardguard process on that
 * Redis. Returns false without running it when another holder has the lock.
 */
export async function withRedisLock(
  redis: Redis,
  key: string,
  ttlMs: number,
  fn: () => Promise<void>,
): Promise<boolean> {
  const nonce = randomBytes(12).toString('hex')
  if ((await redis.set(key, nonce, 'PX', ttlMs, 'NX')) !== 'OK') return false
  try {
    await fn()
  } finally {
    await redis.eval(RELEASE, 1, key, nonce).catch(() => undefined)
  }
  return true
}
