import { Redis } from 'ioredis'

/**
 * One ioredis connection for BullMQ and our own keys (strikes, poll cursors, pile-on counters).
 * @NOTE BullMQ's blocking workers need maxRetriesPerRequest: null, or a Redis blip throws
 * instead of waiting for the reconnect.
 */
export function createRedis(url: string, name = 'wardguard'): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, connectionName: name, lazyConnect: false })
}
