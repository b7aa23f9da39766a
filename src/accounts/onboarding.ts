import { z } from 'zod'
import type { Db } from '../audit/index.js'
import { recordEvent } from '../audit/index.js'
import { type Account, AccountSchema, platformIdOf } from '../config/accounts.js'
import type { Env } from '../config/env.js'
import { AppError, ConfigError } from '../errors.js'
import { listConnectedAccounts } from './account-store.js'
import type { Keyring } from './keyring.js'

/** What connecting and removing accounts need; the web app and the CLI both build one. */
export type Onboarding = {
  db: Db
  /** null when TOKEN_ENCRYPTION_KEY is unset: then nothing can be connected */
  keyring: Keyring | null
  /**
   * Tells running workers the accounts changed (notifyAccountsChanged on their Redis). The CLI
   * without REDIS_URL cannot reach a service's private Redis: workers then catch up within a minute.
   */
  notify: () => Promise<void>
  env: Env
  /** accounts managed as code: never edited or removed here, but their tokens can be stored */
  yamlAccounts: Account[]
}

/**
 * The settings a person gives a newly connected account (the rest comes from the platform).
 * They end in the same AccountSchema as the YAML file, so both are checked the same way.
 */
export const AccountSettingsSchema = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.object({ name: z.string(), email: z.string().optional() }),
  review: z.object({
    channel: z.string(),
    moderators: z.array(z.string()),
    replyWithExplanation: z.boolean().optional(),
  }),
})
export type AccountSettings = z.infer<typeof AccountSettingsSchema>

export type ConnectResult = {
  accountId: string
  /** 'yaml': the YAML file already lists it, so only its token was stored */
  managedIn: 'yaml' | 'web'
}

export function requireKeyring(ob: Onboarding): Keyring {
  if (ob.keyring) return ob.keyring
  throw new ConfigError(
    'TOKEN_ENCRYPTION_KEY: not set, so tokens cannot be stored; make one with `openssl rand -base64 32`, put it in the environment and restart',
  )
}

export function requireSetting<K extends keyof Env>(
  env: Env,
  key: K,
  why: string,
): NonNullable<Env[K]> {
  const value = env[key]
  if (value === undefined || value === null || value === '')
    throw new ConfigError(`${String(key)}: not set; it is needed ${why}`)
  return value as NonNullable<Env[K]>
}

/** Records an onboarding fact in the audit trail, then tells running workers. */
export async function recordAccountEvent(
  ob: Onboarding,
  e: {
    type: 'account.connected' | 'account.updated' | 'account.removed'
    accountId: string
    by: string
    reason: string
    meta: Record<string, unknown>
    dedupeKey: string
  },
): Promise<void> {
  await recordEvent(ob.db, {
    type: e.type,
    subjectKey: `account.${e.accountId}`,
    platform: 'system',
    commentId: null,
    accountId: e.accountId,
    actor: { kind: 'moderator', id: e.by },
    reason: e.reason,
    meta: e.meta,
    dedupeKey: e.dedupeKey,
  })
  await ob.notify()
}

/**
 * Checks a new account against the YAML AccountSchema before anything is done on the platform,
 * and refuses an id the YAML file already uses. Problems name the field, as config errors do.
 */
export function validAccount(candidate: unknown, ob: Onboarding): Account {
  const parsed = AccountSchema.safeParse(candidate)
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '(account)'}: ${i.message}`,
    )
    throw new AppError(
      'message_invalid',
      `The account settings are not valid: ${problems.join('; ')}`,
    )
  }
  if (ob.yamlAccounts.some((a) => a.id === parsed.data.id))
    throw new AppError(
      'message_invalid',
      `id: ${parsed.data.id} is already used by an account in the YAML file; choose another`,
    )
  return parsed.data
}

/** A new account's id must not be another connected account's (saving would replace it). */
export async function refuseTakenId(ob: Onboarding, id: string): Promise<void> {
  if ((await listConnectedAccounts(ob.db)).some((a) => a.id === id))
    throw new AppError(
      'message_invalid',
      `id: ${id} is already used by a connected account; choose another`,
    )
}

/**
 * The account a connection is for: the one already watched (YAML or connected earlier, whose
 * settings are kept), or a new one built from the person's settings, checked before anything
 * is done on the platform. `isNew` says it still has to be saved.
 */
export async function accountToConnect<A extends Account>(
  ob: Onboarding,
  o: {
    existing: { account: A; managedIn: 'yaml' | 'web' } | null
    settings: AccountSettings | undefined
    /** the platform's part of a new account (platform, Page id or X user id, ...) */
    platformFields: Record<string, unknown>
    /** how the person knows it, for "… is not watched yet" */
    label: string
  },
): Promise<{ account: A; managedIn: 'yaml' | 'web'; isNew: boolean }> {
  if (o.existing) return { ...o.existing, isNew: false }
  if (!o.settings)
    throw new AppError(
      'message_invalid',
      `${o.label} is not watched yet: give it an id, an owner and a review channel`,
    )
  const account = validAccount({ ...o.settings, ...o.platformFields }, ob) as A
  await refuseTakenId(ob, account.id)
  return { account, managedIn: 'web', isNew: true }
}

export type WatchedAccount<A extends Account> = { account: A; managedIn: 'yaml' | 'web' }

/** The watched account for a Page or X user, if any: from YAML first, else one connected earlier. */
export async function findWatchedAccount<A extends Account>(
  ob: Onboarding,
  platform: A['platform'],
  platformId: string,
): Promise<WatchedAccount<A> | null> {
  const matches = (a: Account) => a.platform === platform && platformIdOf(a) === platformId
  const yaml = ob.yamlAccounts.find(matches)
  if (yaml) return { account: yaml as A, managedIn: 'yaml' }
  const connected = (await listConnectedAccounts(ob.db)).find(matches)
  return connected ? { account: connected as A, managedIn: 'web' } : null
}
