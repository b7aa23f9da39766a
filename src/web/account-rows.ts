/**
 * The Accounts page's view of every watched account: where it is managed, where its token comes
 * from and how healthy that token is, in plain words. No secrets: only ids and check results.
 */
import { listConnectedAccounts } from '../accounts/account-store.js'
import { listTokenInfo, type TokenInfo } from '../accounts/token-health.js'
import type { Account } from '../config/accounts.js'
import type { WebOnboarding } from './types.js'

export type TokenSource = 'environment variable' | 'stored' | 'none'

export type HealthState = 'working' | 'unchecked' | 'expiring' | 'failing' | 'none'

export type AccountRow = {
  account: Account
  managedIn: 'yaml' | 'web'
  tokenSource: TokenSource
  health: { state: HealthState; words: string }
  /** the token's expiry in words ("never", a date, "renewed automatically") */
  expires: string
  checkedAt: Date | null
}

/** YAML accounts first, then connected ones (a connected one YAML already has is not watched). */
export async function accountRows(w: WebOnboarding, now: Date): Promise<AccountRow[]> {
  const { ob } = w
  const connected = await listConnectedAccounts(ob.db)
  const infos = await listTokenInfo(ob.db)
  const yamlKeys = new Set(ob.yamlAccounts.map(platformKey))
  const yamlIds = new Set(ob.yamlAccounts.map((a) => a.id))
  const accounts: [Account, 'yaml' | 'web'][] = [
    ...ob.yamlAccounts.map((a) => [a, 'yaml'] as [Account, 'yaml']),
    ...connected
      .filter((a) => !yamlIds.has(a.id) && !yamlKeys.has(platformKey(a)))
      .map((a) => [a, 'web'] as [Account, 'web']),
  ]
  return accounts.map(([account, managedIn]) => {
    const mine = infos.filter((i) => i.accountId === account.id)
    const tokenSource = sourceOf(account, mine, w.envTokenAccounts)
    return {
      account,
      managedIn,
      tokenSource,
      health: describeHealth({
        platform: account.platform,
        tokenSource,
        infos: mine,
        warnDays: ob.env.TOKEN_WARN_DAYS,
        now,
      }),
      expires: expiresWords(account, mine, tokenSource),
      checkedAt: latest(mine.map((i) => i.checkedAt)),
    }
  })
}

/** The kind of token the pipeline acts with: a stored one wins over tokenEnv, as it does there. */
const mainKind = (a: Account) => (a.platform === 'facebook' ? 'page' : 'access')

function sourceOf(account: Account, infos: TokenInfo[], env: ReadonlySet<string>): TokenSource {
  if (infos.some((i) => i.kind === mainKind(account) && i.stored)) return 'stored'
  if (account.tokenEnv && env.has(account.id)) return 'environment variable'
  return 'none'
}

const DAY_MS = 86_400_000

/**
 * "Working", "Not checked yet", "Expires in 5 days", "Not working: <the platform's reason>" or
 * "No token: connect it". @NOTE an X access token lasts two hours and is renewed with the refresh token, so its
 * expiry is not news; only a failed renewal (status failing) is.
 */
export function describeHealth(h: {
  platform: 'facebook' | 'x'
  tokenSource: TokenSource
  infos: TokenInfo[]
  warnDays: number
  now: Date
}): AccountRow['health'] {
  if (h.tokenSource === 'none') return { state: 'none', words: 'No token: connect it' }
  const failing = h.infos.find((i) => i.status === 'failing')
  if (failing) {
    return {
      state: 'failing',
      words: `Not working: ${failing.problem ?? 'the platform refused the token'}`,
    }
  }
  const renewed = h.platform === 'x' && h.infos.some((i) => i.kind === 'refresh' && i.stored)
  const main = h.infos.find((i) => i.kind === (h.platform === 'facebook' ? 'page' : 'access'))
  const expiresAt = renewed ? null : (main?.expiresAt ?? null)
  if (expiresAt && expiresAt.getTime() <= h.now.getTime()) {
    return { state: 'failing', words: `Not working: expired on ${day(expiresAt)}` }
  }
  const soon = expiresAt && expiresAt.getTime() - h.now.getTime() <= h.warnDays * DAY_MS
  if (expiresAt && (soon || main?.status === 'expiring')) {
    return { state: 'expiring', words: `Expires in ${until(expiresAt, h.now)}` }
  }
  // @NOTE "Working" only once the platform has accepted the token: at a check, or when it
  // issued the token as the account was connected; a token from the environment is not known
  // to work until the first check
  if (!h.infos.some((i) => i.checkedAt !== null || i.stored))
    return { state: 'unchecked', words: 'Not checked yet' }
  return { state: 'working', words: 'Working' }
}

function until(at: Date, now: Date): string {
  const ms = at.getTime() - now.getTime()
  if (ms < DAY_MS) {
    const hours = Math.max(1, Math.round(ms / 3_600_000))
    return `${hours} hour${hours === 1 ? '' : 's'}`
  }
  const days = Math.floor(ms / DAY_MS)
  return `${days} day${days === 1 ? '' : 's'}`
}

function expiresWords(account: Account, infos: TokenInfo[], source: TokenSource): string {
  if (source === 'none') return ''
  if (account.platform === 'x' && infos.some((i) => i.kind === 'refresh' && i.stored))
    return 'renewed automatically'
  const main = infos.find((i) => i.kind === mainKind(account))
  if (main?.expiresAt) return day(main.expiresAt)
  return main?.checkedAt || source === 'stored' ? 'never' : 'not known yet'
}

const day = (d: Date) => d.toISOString().slice(0, 10)

function latest(dates: (Date | null)[]): Date | null {
  const times = dates.filter((d): d is Date => d !== null).map((d) => d.getTime())
  return times.length > 0 ? new Date(Math.max(...times)) : null
}

function platformKey(a: Account): string {
  return a.platform === 'facebook' ? `facebook.${a.pageId}` : `x.${a.userId}`
}
