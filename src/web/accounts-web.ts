/** Small pieces the Accounts and Connect pages share. */
import type { Context } from 'hono'
import { html } from 'hono/html'
import { HTTPException } from 'hono/http-exception'
import type { Onboarding } from '../accounts/onboarding.js'
import { isAppError } from '../errors.js'
import { currentUser } from './auth.js'
import { type Html, page } from './layout.js'
import { sessionKeyOf } from './oauth-pending.js'
import type { WebDeps, WebEnv, WebOnboarding } from './types.js'
import type { WebUser } from './users.js'

export function needOnboarding(deps: WebDeps): WebOnboarding {
  if (deps.onboarding) return deps.onboarding
  throw new HTTPException(404, {
    message: 'Accounts cannot be managed from this web app (it runs without the account store).',
  })
}

/** Who did it, as the audit trail records people acting in the web app. */
export const actorOf = (user: WebUser) => `web/${user.username}`

/**
 * Where the platform sends the person back: always under PUBLIC_URL. @NOTE never the request's
 * own Host header, which anyone can set: the code would go to their address (connectBlocker
 * keeps the flows from starting without it).
 */
export function callbackUrl(ob: Onboarding, path: string): string {
  const base = ob.env.PUBLIC_URL
  if (!base) throw new HTTPException(400, { message: PUBLIC_URL_NEEDED })
  return `${base.replace(/\/+$/, '')}${path}`
}

const PUBLIC_URL_NEEDED =
  'Set PUBLIC_URL to the address people and platforms reach Wardguard at (https://…), then restart: Facebook and X send people back there after they sign in.'

/**
 * Why a Connect button cannot work here, naming the variable to set; null when it can.
 * @NOTE checked before anything is sent to the platform, so nobody signs in to Facebook for
 * nothing
 */
export function connectBlocker(ob: Onboarding, platform: 'facebook' | 'x'): string | null {
  const missing: string[] = []
  if (!ob.env.PUBLIC_URL) missing.push('PUBLIC_URL')
  if (!ob.keyring) missing.push('TOKEN_ENCRYPTION_KEY')
  if (platform === 'facebook') {
    if (!ob.env.FACEBOOK_APP_ID) missing.push('FACEBOOK_APP_ID')
    if (!ob.env.FACEBOOK_APP_SECRET) missing.push('FACEBOOK_APP_SECRET')
  } else if (!ob.env.X_CLIENT_ID) {
    missing.push('X_CLIENT_ID')
  }
  if (missing.length === 0) return null
  const what = platform === 'facebook' ? 'Facebook Pages' : 'X accounts'
  const key = missing.includes('TOKEN_ENCRYPTION_KEY')
    ? ' (make a key with `openssl rand -base64 32`)'
    : ''
  return `To connect ${what} from here, set ${missing.join(' and ')} in the environment${key} and restart Wardguard.`
}

/** A page that says what went wrong (or what happened) and leads back to the Accounts page. */
export function flowPage(
  c: Context<WebEnv>,
  o: { title: string; status?: 200 | 400 | 403 | 409 | 502; message: string; extra?: Html },
) {
  const user = currentUser(c)
  const body = html`<p class="${o.status && o.status >= 400 ? 'error' : ''}" role="${o.status && o.status >= 400 ? 'alert' : 'status'}">${o.message}</p>
${o.extra ?? ''}
<p><a href="/audit/accounts">Back to Accounts</a></p>`
  return c.html(
    page({ title: o.title, user, csrfToken: c.get('session')?.csrfToken, body }),
    o.status ?? 200,
  )
}

/** The message of an expected failure (the platform said no, bad settings); others go on up. */
export function problemOf(err: unknown): { message: string; status: 400 | 502 } {
  if (!isAppError(err)) throw err
  if (err.code.startsWith('platform_')) return { message: err.message, status: 502 }
  return { message: err.message, status: 400 }
}

/** Facebook or X refused a step of the sign-in: nothing was connected, and the page says why. */
export function refusedPage(c: Context<WebEnv>, who: 'Facebook' | 'X', err: unknown) {
  const p = problemOf(err)
  return flowPage(c, {
    title: `${who} said no`,
    status: p.status,
    message: `Nothing was connected: ${p.message}`,
  })
}

/** Binds a sign-in flow to the browser session that started it. */
export const sessionKey = (c: Context<WebEnv>) =>
  sessionKeyOf(c.get('session') ?? { csrfToken: '' })

export const PENDING_PROBLEM = {
  unknown:
    'This sign-in cannot be used: it was used already, or it was started in another browser session. Nothing was connected.',
  expired: 'This sign-in has expired (it lasts 10 minutes). Nothing was connected: start again.',
} as const
