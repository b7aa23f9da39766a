/**
 * What `wardguard connect` and `wardguard accounts` share: the environment and YAML as the
 * service reads them, the audit store, the key ring, and a way to tell running workers.
 */
import { readFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import type { Redis } from 'ioredis'
import type { Onboarding } from '../../accounts/onboarding.js'
import type { Config } from '../../config/load.js'
import { loadServiceConfig } from '../load-service-config.js'

export type CliOnboarding = {
  ob: Onboarding
  config: Config
  /** says how running services learn of the change (call after connecting or removing) */
  changeNote(): string
}

/**
 * Opens the store, runs `fn`, closes everything. `notify` publishes on REDIS_URL when set;
 * without it the CLI cannot reach a service's private Redis, and the note says what happens.
 */
export async function withCliOnboarding<T>(fn: (c: CliOnboarding) => Promise<T>): Promise<T> {
  const config = await loadServiceConfig()
  const { env } = config
  // @NOTE loaded on use so that other commands never load PGlite or ioredis
  const [accounts, store, changes, redisModule] = await Promise.all([
    import('../../accounts/index.js'),
    import('../../web/open-store.js'),
    import('../../accounts/changes.js'),
    import('ioredis'),
  ])
  const keyring = accounts.keyringFromEnv(env)
  const conn: { redis: Redis | null } = { redis: null }
  let published = false
  const notify = async () => {
    if (!env.REDIS_URL) return
    // a few retries, not BullMQ's forever: an unreachable Redis must not hang the command
    conn.redis ??= new redisModule.Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 })
    await changes.notifyAccountsChanged(conn.redis)
    published = true
  }
  const changeNote = () => {
    if (published) return 'running Wardguard workers were told and use it now'
    if (env.DATABASE_URL)
      return 'a running Wardguard picks this up within a minute (set REDIS_URL for at once)'
    return 'start Wardguard to use it (the embedded store belongs to one process: stop the service while running these commands)'
  }
  try {
    return await store.withAuditStore(env, (db) =>
      fn({
        ob: { db, keyring, notify, env, yamlAccounts: config.file.accounts },
        config,
        changeNote,
      }),
    )
  } finally {
    const redis = conn.redis
    if (redis) await redis.quit().catch(() => redis.disconnect())
  }
}

/** Who the audit trail says acted: the person at the terminal. */
export function cliActor(by?: string): string {
  if (by) return by
  let name = process.env.USER ?? ''
  try {
    name ||= userInfo().username
  } catch {
    // no passwd entry (some containers): the actor is still marked as the CLI
  }
  return `cli:${name || 'unknown'}`
}

/**
 * A secret given as `-` is read from standard input, so it stays out of shell history and `ps`.
 */
export function readSecretArg(value: string): string {
  const text = value === '-' ? readFileSync(0, 'utf8') : value
  return text.trim()
}
