/**
 * The token check: keeps every watched account's token alive, or says in time that it will not
 * be. Daily, Facebook's debug_token on each Page token (stored or from its tokenEnv variable);
 * every five minutes, X access tokens (two hours long) are refreshed before they expire. A token
 * that is expiring or failing is warned about once per condition: an `alert.raised` audit event
 * and a post to the account's review channel through the review queue.
 */
import type { Redis } from 'ioredis'
import { recordEvent } from '../audit/index.js'
import type { FacebookAccount, XAccount } from '../config/accounts.js'
import { debugToken, type TokenDebug } from '../connectors/facebook/oauth.js'
import { refreshXToken, type XTokens } from '../connectors/x/oauth.js'
import { PlatformError } from '../errors.js'
import { serviceLogger } from '../logger.js'
import { type AccountDirectory, type AccountRuntime, fingerprint } from '../pipeline/accounts.js'
import type { FollowUps } from '../pipeline/follow-ups.js'
import { graphTarget } from './connect-facebook.js'
import { saveXTokens, xOAuthClient } from './connect-x.js'
import type { Onboarding } from './onboarding.js'
import { withRedisLock } from './redis-lock.js'
import {
  capital,
  DAY_MS,
  day,
  earliest,
  fixFor,
  inDays,
  problemLine,
  time,
} from './token-alert-text.js'
import type { TokenStatus } from './token-health.js'
import {
  markWarned,
  readToken,
  recordTokenCheck,
  type StoredToken,
  type TokenKind,
} from './token-store.js'

const log = serviceLogger.child({ component: 'token-check' })

/** X access tokens last two hours: refresh when fewer than 20 minutes are left */
export const X_REFRESH_BEFORE_MS = 20 * 60_000
export const X_REFRESH_EVERY_MS = 5 * 60_000
// @NOTE longer than a refresh can take (two X calls of at most 15 s each, then two writes): a
// lock that lapsed mid-refresh would let another worker spend the refresh token just retired
const REFRESH_LOCK_MS = 120_000

export type TokenCheckDeps = {
  /** the store, the keyring, the environment and `notify` (tells pipelines a token changed) */
  ob: Onboarding
  redis: Redis
  /** the live directory: the accounts being watched right now */
  accounts: AccountDirectory
  /** tokens read from YAML accounts' tokenEnv variables (a stored token wins over these) */
  envTokens: ReadonlyMap<string, string>
  followUps: Pick<FollowUps, 'review'>
  now?: () => Date
}

export type TokenCheckReport = {
  checked: { accountId: string; kind: TokenKind; status: TokenStatus }[]
  refreshed: string[]
  warned: { accountId: string; condition: string }[]
  /** why an account or a whole platform was not checked this time */
  skipped: string[]
}

type Warning = {
  status: 'expiring' | 'failing'
  condition: string
  summary: string
  expiresAt: Date | null
}

/**
 * Started by the service with the workers; `runOnce()` is the whole check (tests call it).
 * Several worker processes may each run one: warnings are deduplicated in the store and X
 * refreshes are guarded by a Redis lock per account.
 */
export class TokenChecker {
  private readonly deps: TokenCheckDeps
  private readonly timers: NodeJS.Timeout[] = []
  private readonly inFlight = new Set<Promise<unknown>>()
  private readonly loggedOnce = new Set<string>()

  constructor(deps: TokenCheckDeps) {
    this.deps = deps
  }

  /** A first check now, then every TOKEN_CHECK_INTERVAL_HOURS; X refreshes every 5 minutes. */
  start(): void {
    const hours = this.deps.ob.env.TOKEN_CHECK_INTERVAL_HOURS
    this.track(() => this.runOnce())
    this.timers.push(
      setInterval(() => this.track(() => this.runOnce()), hours * 3_600_000),
      setInterval(() => this.track(() => this.refreshDue()), X_REFRESH_EVERY_MS),
    )
    // @NOTE the service's own lifecycle keeps the process alive, not these timers
    for (const t of this.timers) t.unref()
  }

  /** Resolves once the checks already started (by start() or a timer) have finished. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.inFlight])
  }

  async stop(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t)
    await Promise.allSettled([...this.inFlight])
  }

  /** The daily check: every Facebook Page token, and every X account's token. */
  async runOnce(): Promise<TokenCheckReport> {
    const report = emptyReport()
    await this.checkFacebook(report)
    await this.checkX(report, true)
    return report
  }

  /** The five-minute part: X access tokens that expire soon are refreshed. */
  async refreshDue(): Promise<TokenCheckReport> {
    const report = emptyReport()
    await this.checkX(report, false)
    return report
  }

  private track(run: () => Promise<TokenCheckReport>): void {
    const p = run().catch((err) => log.error({ err: (err as Error).message }, 'token check failed'))
    this.inFlight.add(p)
    void p.finally(() => this.inFlight.delete(p))
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date()
  }

  private logOnce(key: string, msg: string): void {
    if (this.loggedOnce.has(key)) return
    this.loggedOnce.add(key)
    log.warn(msg)
  }

  // ---- Facebook: debug_token ----

  private async checkFacebook(report: TokenCheckReport): Promise<void> {
    const pages = this.deps.accounts.all().filter((r) => r.account.platform === 'facebook')
    if (pages.length === 0) return
    const { FACEBOOK_APP_ID: appId, FACEBOOK_APP_SECRET: appSecret } = this.deps.ob.env
    if (!appId || !appSecret) {
      const why =
        'Facebook Page tokens are not checked: debug_token needs FACEBOOK_APP_ID and FACEBOOK_APP_SECRET'
      this.logOnce('facebook-app', why)
      report.skipped.push(why)
      return
    }
    for (const runtime of pages) {
      try {
        await this.checkPage(runtime, { appId, appSecret }, report)
      } catch (err) {
        log.warn({ account: runtime.account.id, err: (err as Error).message }, 'check failed')
        report.skipped.push(`${runtime.account.id}: ${(err as Error).message}`)
      }
    }
  }

  private async checkPage(
    runtime: AccountRuntime,
    app: { appId: string; appSecret: string },
    report: TokenCheckReport,
  ): Promise<void> {
    const { ob } = this.deps
    const account = runtime.account as FacebookAccount
    const stored = ob.keyring ? await readToken(ob.db, ob.keyring, account.id, 'page') : null
    // @NOTE the same choice as the live directory: a stored token wins over tokenEnv
    const token = stored?.secret ?? this.deps.envTokens.get(account.id)
    if (!token) return
    let debug: TokenDebug
    try {
      debug = await debugToken({ ...graphTarget(ob), ...app, token })
    } catch (err) {
      // Graph down, or the app's own credentials refused: not this token's fault, try next time
      log.warn({ account: account.id, err: (err as Error).message }, 'debug_token failed')
      report.skipped.push(`${account.id}: ${(err as Error).message}`)
      return
    }
    const now = this.now()
    const deadline = earliest(debug.expiresAt, debug.dataAccessExpiresAt)
    const where = `the Facebook Page token Wardguard uses for ${account.name} (${account.id})`
    const fix = fixFor(account, stored !== null, 'Connect a Facebook Page')
    let warning: Warning | null = null
    if (!debug.valid) {
      const problem = debug.problem ?? 'Graph says the token is not valid'
      warning = {
        status: 'failing',
        condition: `failing:${/\(code (\d+)/.exec(problem)?.[1] ?? 'invalid'}`,
        expiresAt: deadline,
        summary: `${capital(where)} has stopped working: ${problem}. Until it is replaced Wardguard cannot hide comments there; the actions it could not take wait and are carried out once the Page works again. Fix it now: ${fix}.`,
      }
    } else if (deadline && deadline.getTime() - now.getTime() <= ob.env.TOKEN_WARN_DAYS * DAY_MS) {
      const what =
        debug.expiresAt && deadline.getTime() === debug.expiresAt.getTime()
          ? 'expires'
          : 'loses access to comments (Facebook’s data access expiry)'
      warning = {
        status: 'expiring',
        condition: `expiring:${deadline.toISOString().slice(0, 10)}`,
        expiresAt: deadline,
        summary: `${capital(where)} ${what} on ${day(deadline)} (${inDays(deadline, now)}). After that Wardguard can no longer read or hide comments there. Fix it before ${day(deadline)}: ${fix}.`,
      }
    }
    const status = warning?.status ?? 'ok'
    await recordTokenCheck(ob.db, account.id, 'page', {
      status,
      expiresAt: deadline,
      ...(warning ? { problem: problemLine(warning, debug.problem) } : {}),
    })
    report.checked.push({ accountId: account.id, kind: 'page', status })
    if (warning) await this.warn(runtime, 'page', token, warning, report)
  }

  // ---- X: refresh before expiry ----

  private async checkX(report: TokenCheckReport, daily: boolean): Promise<void> {
    const xs = this.deps.accounts.all().filter((r) => r.account.platform === 'x')
    for (const runtime of xs) {
      try {
        await this.checkXAccount(runtime, report, daily)
      } catch (err) {
        log.warn({ account: runtime.account.id, err: (err as Error).message }, 'check failed')
        report.skipped.push(`${runtime.account.id}: ${(err as Error).message}`)
      }
    }
  }

  private async checkXAccount(
    runtime: AccountRuntime,
    report: TokenCheckReport,
    daily: boolean,
  ): Promise<void> {
    const { ob } = this.deps
    const account = runtime.account as XAccount
    const refresh = ob.keyring ? await readToken(ob.db, ob.keyring, account.id, 'refresh') : null
    if (!refresh) {
      if (daily && account.tokenEnv && this.deps.envTokens.get(account.id)) {
        // nothing to refresh: say so where the health is shown, once a day
        await recordTokenCheck(ob.db, account.id, 'access', {
          status: 'ok',
          problem: `read from ${account.tokenEnv}, which Wardguard cannot refresh (X access tokens last two hours): connect the account in Wardguard → Accounts so it is refreshed automatically`,
        })
        report.checked.push({ accountId: account.id, kind: 'access', status: 'ok' })
      }
      return
    }
    const access = await readToken(ob.db, ob.keyring!, account.id, 'access')
    if (!this.due(access)) {
      if (daily) {
        await recordTokenCheck(ob.db, account.id, 'access', {
          status: 'ok',
          expiresAt: access?.expiresAt ?? null,
        })
        report.checked.push({ accountId: account.id, kind: 'access', status: 'ok' })
      }
      return
    }
    if (!ob.env.X_CLIENT_ID) {
      const why = 'X access tokens are not refreshed: X_CLIENT_ID is not set'
      this.logOnce('x-client', why)
      report.skipped.push(why)
      return
    }
    // @NOTE X rotates refresh tokens: spent twice, the second attempt is refused and the account
    // is lost until someone reconnects it. So one worker at a time, per account, and refreshX
    // reads the tokens again under the lock in case another worker has just refreshed them.
    const ran = await withRedisLock(
      this.deps.redis,
      `wg:token-refresh:${account.id}`,
      REFRESH_LOCK_MS,
      () => this.refreshX(runtime, report),
    )
    if (!ran) report.skipped.push(`${account.id}: another worker is refreshing its X token`)
  }

  private due(access: StoredToken | null): boolean {
    if (!access) return true
    if (!access.expiresAt) return false
    return access.expiresAt.getTime() - this.now().getTime() <= X_REFRESH_BEFORE_MS
  }

  private async refreshX(runtime: AccountRuntime, report: TokenCheckReport): Promise<void> {
    const { ob } = this.deps
    const account = runtime.account as XAccount
    const keyring = ob.keyring!
    const refresh = await readToken(ob.db, keyring, account.id, 'refresh')
    const access = await readToken(ob.db, keyring, account.id, 'access')
    if (!refresh || !this.due(access)) return
    let tokens: XTokens
    try {
      tokens = await refreshXToken({ ...xOAuthClient(ob), refreshToken: refresh.secret })
    } catch (err) {
      if (!(err instanceof PlatformError) || err.retryable) {
        // X unavailable or throttled: the next run, five minutes on, tries again
        log.warn({ account: account.id, err: (err as Error).message }, 'X refresh failed')
        report.skipped.push(`${account.id}: ${(err as Error).message}`)
        return
      }
      const until = access?.expiresAt ?? null
      const warning: Warning = {
        status: 'failing',
        condition: `failing:${err.code === 'platform_token_invalid' ? 'refresh_refused' : (err.status ?? err.code)}`,
        expiresAt: until,
        summary: `X refused to renew Wardguard’s access to ${account.name} (@${account.handle ?? account.userId}, ${account.id}): ${err.message}. ${until && until > this.now() ? `Wardguard stops working there at ${time(until)}` : 'Wardguard cannot hide replies there now'}. Fix it now: reconnect it in Wardguard → Accounts (Connect an X account), signed in to X as @${account.handle ?? 'the account'}.`,
      }
      await recordTokenCheck(ob.db, account.id, 'refresh', {
        status: 'failing',
        problem: err.message,
        expiresAt: until,
      })
      report.checked.push({ accountId: account.id, kind: 'refresh', status: 'failing' })
      await this.warn(runtime, 'refresh', refresh.secret, warning, report)
      return
    }
    // saveXTokens stores the new refresh token first, and clears the old token's health
    await saveXTokens(ob, account.id, tokens)
    await recordTokenCheck(ob.db, account.id, 'access', {
      status: 'ok',
      expiresAt: tokens.expiresAt,
    })
    report.refreshed.push(account.id)
    report.checked.push({ accountId: account.id, kind: 'access', status: 'ok' })
    log.info({ account: account.id, expiresAt: tokens.expiresAt }, 'X access token refreshed')
    await ob.notify()
  }

  // ---- warn once ----

  /**
   * Warns once per condition (markWarned), then records the alert and posts it to the review
   * channel. @NOTE the dedupe key holds the token's fingerprint: a new token that hits the same
   * condition is news again. If recording fails after markWarned, this condition is not warned
   * about again for this token: the health row still shows it, and the web app shows the health.
   */
  private async warn(
    runtime: AccountRuntime,
    kind: TokenKind,
    token: string,
    w: Warning,
    report: TokenCheckReport,
  ): Promise<void> {
    const { ob, followUps } = this.deps
    const id = runtime.account.id
    if (!(await markWarned(ob.db, id, kind, w.condition))) return
    const alert = await recordEvent(ob.db, {
      type: 'alert.raised',
      subjectKey: `account.${id}`,
      platform: 'system',
      commentId: null,
      accountId: id,
      actor: { kind: 'system', id: 'token-check' },
      reason: w.summary,
      meta: {
        alert: 'token_alert',
        kind: w.status,
        tokenKind: kind,
        condition: w.condition,
        ...(w.expiresAt ? { expiresAt: w.expiresAt.toISOString() } : {}),
      },
      dedupeKey: `token-check/${id}/${kind}/${fingerprint(token)}/${w.condition}`,
    })
    if (!alert.created) return
    await followUps.review({
      v: 1,
      platform: runtime.platform,
      accountId: runtime.platformId,
      subjectKey: `account.${id}`,
      causedBy: alert.event.id,
      kind: 'token_alert',
      // a token that already failed stops moderation; one that will expire can wait its turn
      urgent: w.status === 'failing',
    })
    report.warned.push({ accountId: id, condition: w.condition })
    log.warn({ account: id, condition: w.condition }, 'token warning sent to the review channel')
  }
}

function emptyReport(): TokenCheckReport {
  return { checked: [], refreshed: [], warned: [], skipped: [] }
}
