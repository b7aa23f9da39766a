import { createHash } from 'node:crypto'
import type { Account } from '../config/accounts.js'
import { platformIdOf } from '../config/accounts.js'
import type { PlatformClient } from '../connectors/types.js'
import type { Policy } from '../moderation/index.js'
import { withOverrides } from '../moderation/index.js'
import type { EngineSet, ShadowEngine } from './engines.js'
import type { Platform } from './messages.js'

/** One configured account as the pipeline uses it: its policy compiled, its client ready. */
export type AccountRuntime = {
  account: Account
  platform: Platform
  /** Facebook Page id or X user id */
  platformId: string
  policy: Policy
  client: PlatformClient
  /** sha256 prefix of the token: tells a parked action whether the token has been replaced */
  tokenFingerprint: string
  /** issue 17: a candidate deciding beside `policy` without acting (a shadow run) */
  shadow?: ShadowEngine
  /** the engines in use (active policy version, shadow run): a change rebuilds the runtime */
  engineKey: string
}

export type AccountDirectory = {
  get(platform: Platform, platformId: string): AccountRuntime | undefined
  /** by our own account id, as the audit log records it */
  byId(id: string): AccountRuntime | undefined
  all(): AccountRuntime[]
}

export type ClientFactory = (account: Account, token: string) => PlatformClient

export function createAccountDirectory(opts: {
  accounts: Account[]
  tokens: ReadonlyMap<string, string>
  basePolicy: Policy
  makeClient: ClientFactory
  /** issue 17: switched-to candidates and shadow runs, per account */
  engines?: EngineSet
}): AccountDirectory {
  const byKey = new Map<string, AccountRuntime>()
  const byId = new Map<string, AccountRuntime>()
  for (const account of opts.accounts) {
    const token = opts.tokens.get(account.id) ?? ''
    const base = opts.engines?.active.get(account.id) ?? opts.basePolicy
    const shadow = opts.engines?.shadows.get(account.id)
    const runtime: AccountRuntime = {
      account,
      platform: account.platform,
      platformId: platformIdOf(account),
      policy: withAccountOverrides(base, account),
      client: opts.makeClient(account, token),
      tokenFingerprint: fingerprint(token),
      ...(shadow
        ? { shadow: { ...shadow, policy: withAccountOverrides(shadow.policy, account) } }
        : {}),
      engineKey: `${base.version}/${shadow?.runId ?? '-'}`,
    }
    byKey.set(`${account.platform}.${runtime.platformId}`, runtime)
    byId.set(account.id, runtime)
  }
  return {
    get: (platform, platformId) => byKey.get(`${platform}.${platformId}`),
    byId: (id) => byId.get(id),
    all: () => [...byKey.values()],
  }
}

/** The account's `policy:` overrides on top of whichever engine it runs. */
function withAccountOverrides(base: Policy, account: Account): Policy {
  return account.policy
    ? withOverrides(base, account.policy, `accounts.${account.id}.policy`)
    : base
}

export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12)
}
