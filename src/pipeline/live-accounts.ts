import type { Redis } from 'ioredis'
import { ACCOUNTS_CHANGED_CHANNEL } from '../accounts/changes.js'
import type { Keyring } from '../accounts/index.js'
import { listConnectedAccounts, readAllTokens } from '../accounts/index.js'
import type { Db } from '../audit/index.js'
import type { Account } from '../config/accounts.js'
import { connectorLogger } from '../logger.js'
import type { Policy } from '../moderation/index.js'
import {
  type AccountDirectory,
  type AccountRuntime,
  type ClientFactory,
  createAccountDirectory,
  fingerprint,
} from './accounts.js'
import { type EngineSet, NO_ENGINES } from './engines.js'
import type { Platform } from './messages.js'

export type LiveAccountsOptions = {
  db: Db
  redis: Redis
  /** null when TOKEN_ENCRYPTION_KEY is not set: only YAML accounts with tokenEnv have tokens then */
  keyring: Keyring | null
  /** the YAML accounts: they win over a connected account with the same id or platform id */
  yamlAccounts: Account[]
  /** tokens read from each YAML account's tokenEnv variable */
  envTokens: ReadonlyMap<string, string>
  basePolicy: Policy
  makeClient: ClientFactory
  /** a missed pub/sub message (Redis restarted) is caught up by this; default one minute */
  reloadIntervalMs?: number
  /** issue 17: switched-to candidates and shadow runs, read with the accounts */
  loadEngines?: () => Promise<EngineSet>
}

type Listener = (
  changed: { before: AccountRuntime | undefined; after: AccountRuntime | undefined }[],
) => void

/**
 * The accounts the pipeline watches, kept current while the service runs: the YAML accounts plus
 * those connected from the web app or the CLI, each with its token (from its tokenEnv variable,
 * else from the encrypted store). A Page connected in the web app is moderated without a restart,
 * and a refreshed X token reaches the client that acts with it.
 */
export class LiveAccountDirectory implements AccountDirectory {
  private current: AccountDirectory
  private readonly opts: LiveAccountsOptions
  private readonly listeners: Listener[] = []
  private subscriber: Redis | null = null
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false
  /** accounts already warned about having no token (once per process) */
  private readonly warnedMissing = new Set<string>()

  constructor(opts: LiveAccountsOptions) {
    this.opts = opts
    // until start() has read the store: the YAML accounts with their environment tokens
    this.current = this.build(opts.yamlAccounts, opts.envTokens)
  }

  get(platform: Platform, platformId: string): AccountRuntime | undefined {
    return this.current.get(platform, platformId)
  }

  byId(id: string): AccountRuntime | undefined {
    return this.current.byId(id)
  }

  all(): AccountRuntime[] {
    return this.current.all()
  }

  /** Called with the accounts whose runtime changed (added, removed, new token or settings). */
  onChange(listener: Listener): void {
    this.listeners.push(listener)
  }

  /** First load from the store, then follow changes (pub/sub, and a periodic catch-up). */
  async start(): Promise<void> {
    await this.reload()
    const sub = this.opts.redis.duplicate()
    this.subscriber = sub
    sub.on('message', () => void this.reload().catch(() => {}))
    await sub.subscribe(ACCOUNTS_CHANGED_CHANNEL)
    this.timer = setInterval(
      () => void this.reload().catch(() => {}),
      this.opts.reloadIntervalMs ?? 60_000,
    )
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    const sub = this.subscriber
    this.subscriber = null
    if (sub) {
      try {
        await sub.quit()
      } catch {
        sub.disconnect()
      }
    }
    await this.running?.catch(() => {})
  }

  /**
   * Reads the accounts and tokens again. Reloads never overlap: one asked for while another runs
   * is run once after it. A failed read keeps the accounts as they were (and is logged).
   */
  reload(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      try {
        do {
          this.again = false
          await this.reloadOnce()
        } while (this.again)
      } finally {
        this.running = null
      }
    })()
    return this.running
  }

  private async reloadOnce(): Promise<void> {
    const { db, keyring, yamlAccounts, envTokens } = this.opts
    let connected: Account[]
    let stored: Awaited<ReturnType<typeof readAllTokens>>
    let engines: EngineSet
    try {
      connected = await listConnectedAccounts(db)
      stored = keyring ? await readAllTokens(db, keyring) : new Map()
      engines = this.opts.loadEngines ? await this.opts.loadEngines() : NO_ENGINES
    } catch (err) {
      connectorLogger.error({ err: (err as Error).message }, 'accounts could not be reloaded')
      throw err
    }
    const accounts = mergeAccounts(yamlAccounts, connected)
    const tokens = new Map<string, string>()
    for (const account of accounts) {
      const kind = account.platform === 'facebook' ? 'page' : 'access'
      // @NOTE a stored token wins: it was put there on purpose, by connecting the account again
      const token = stored.get(account.id)?.get(kind)?.secret ?? envTokens.get(account.id)
      if (token) tokens.set(account.id, token)
      else this.warnMissingToken(account)
    }
    const next = this.build(accounts, tokens, engines)
    const changed = diff(this.current, next)
    this.current = next
    if (changed.length === 0) return
    connectorLogger.info(
      { changed: changed.map((c) => (c.after ?? c.before)?.account.id) },
      'accounts reloaded',
    )
    for (const listener of this.listeners) listener(changed)
  }

  /**
   * Builds the directory, keeping each unchanged account's runtime (and so its client and its
   * token fingerprint) so that a reload without changes rebuilds nothing.
   */
  private build(
    accounts: Account[],
    tokens: ReadonlyMap<string, string>,
    engines: EngineSet = NO_ENGINES,
  ): AccountDirectory {
    const before = this.current as AccountDirectory | undefined
    const fresh = createAccountDirectory({
      accounts,
      tokens,
      basePolicy: this.opts.basePolicy,
      engines,
      makeClient: (account, token) => {
        const old = before?.byId(account.id)
        return old && unchanged(old, account, token)
          ? old.client
          : this.opts.makeClient(account, token)
      },
    })
    return before ? reuseUnchanged(before, fresh) : fresh
  }

  private warnMissingToken(account: Account): void {
    if (this.warnedMissing.has(account.id)) return
    this.warnedMissing.add(account.id)
    connectorLogger.warn(
      { account: account.id },
      account.tokenEnv
        ? 'account has no token: its tokenEnv variable is empty'
        : 'account has no token yet: connect it in the web app (Accounts) or with `wardguard connect`',
    )
  }
}

/** YAML first; a connected account whose id or platform id YAML already has is skipped. */
export function mergeAccounts(yaml: Account[], connected: Account[]): Account[] {
  const ids = new Set(yaml.map((a) => a.id))
  const platformIds = new Set(yaml.map(platformKey))
  const merged = [...yaml]
  for (const account of connected) {
    if (ids.has(account.id) || platformIds.has(platformKey(account))) {
      connectorLogger.warn(
        { account: account.id },
        'a connected account duplicates one in the YAML file; the YAML one is used',
      )
      continue
    }
    merged.push(account)
  }
  return merged
}

function platformKey(account: Account): string {
  return account.platform === 'facebook' ? `facebook.${account.pageId}` : `x.${account.userId}`
}

function unchanged(old: AccountRuntime, account: Account, token: string): boolean {
  return (
    old.tokenFingerprint === fingerprint(token) &&
    JSON.stringify(old.account) === JSON.stringify(account)
  )
}

/** The new directory, but with the old runtime objects where nothing about the account changed. */
function reuseUnchanged(before: AccountDirectory, after: AccountDirectory): AccountDirectory {
  const runtimes = after.all().map((r) => {
    const old = before.byId(r.account.id)
    return old &&
      old.client === r.client &&
      old.tokenFingerprint === r.tokenFingerprint &&
      old.engineKey === r.engineKey
      ? old
      : r
  })
  const byKey = new Map(runtimes.map((r) => [`${r.platform}.${r.platformId}`, r]))
  const byId = new Map(runtimes.map((r) => [r.account.id, r]))
  return {
    get: (platform, platformId) => byKey.get(`${platform}.${platformId}`),
    byId: (id) => byId.get(id),
    all: () => runtimes,
  }
}

function diff(before: AccountDirectory, after: AccountDirectory) {
  const changed: { before: AccountRuntime | undefined; after: AccountRuntime | undefined }[] = []
  for (const r of after.all()) {
    const old = before.byId(r.account.id)
    if (old !== r) changed.push({ before: old, after: r })
  }
  for (const old of before.all()) {
    if (!after.byId(old.account.id)) changed.push({ before: old, after: undefined })
  }
  return changed
}
