import type { Redis } from 'ioredis'

/**
 * Published whenever the web app or the CLI connects, edits or removes an account, or stores a
 * token, so that every running worker reloads its accounts (src/pipeline/live-accounts.ts).
 */
export const ACCOUNTS_CHANGED_CHANNEL = 'wg:accounts-changed'

export async function notifyAccountsChanged(redis: Redis): Promise<void> {
  await redis.publish(ACCOUNTS_CHANGED_CHANNEL, String(Date.now()))
}
