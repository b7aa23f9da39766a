/** Session loading, sign-in checks and the CSRF guard for every form post. */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import { cameOverTls } from '../http/client-address.js'
import { userForApiToken } from './api-tokens.js'
import { errorPage } from './layout.js'
import { findSession, SESSION_COOKIE, SESSION_TTL_MS } from './sessions.js'
import type { WebDeps, WebEnv } from './types.js'
import type { Role, WebUser } from './users.js'

/** Before sign-in there is no session, so the sign-in form's token lives in its own cookie. */
export const PRESESSION_COOKIE = 'wg_presession'

/**
 * @NOTE Secure whenever the page is served over TLS: PUBLIC_URL is https, the request itself
 * came over https, or (TRUST_PROXY) the proxy in front says it did.
 */
export function cookieOptions(deps: WebDeps, maxAgeMs: number, c?: Context) {
  const secure =
    deps.secureCookies ??
    (deps.publicUrl?.startsWith('https:') || (c ? cameOverTls(c, deps.trustProxy ?? false) : false))
  return {
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure,
    path: '/',
    maxAge: Math.floor(maxAgeMs / 1000),
  }
}

export const nowOf = (deps: WebDeps) => deps.now?.() ?? new Date()

export function loadSession(deps: WebDeps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    c.set('session', null)
    c.set('apiUser', null)
    const id = await getSignedCookie(c, deps.sessionSecret, SESSION_COOKIE)
    if (id) c.set('session', await findSession(deps.db, id, nowOf(deps)))
    await next()
  }
}

/** Pages: a signed-in user (any role listed), else off to the sign-in form. */
export function requireUser(...roles: Role[]): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const session = c.get('session')
    if (!session) {
      if (c.req.method === 'GET') {
        const next = encodeURIComponent(new URL(c.req.url).pathname + new URL(c.req.url).search)
        return c.redirect(`/signin?next=${next}`, 303)
      }
      return c.html(errorPage(401, 'Please sign in.'), 401)
    }
    if (roles.length > 0 && !roles.includes(session.user.role)) {
      return c.html(errorPage(403, 'Your role may not do this.', session.user), 403)
    }
    await next()
  }
}

/** Exports: a session, or `Authorization: Bearer wgt_…` (read-only, the token owner's scope). */
export function requireUserOrToken(deps: WebDeps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (c.get('session')) return next()
    const auth = c.req.header('authorization')
    if (auth?.startsWith('Bearer ')) {
      const user = await userForApiToken(deps.db, auth.slice(7).trim(), nowOf(deps))
      if (!user) return c.json({ error: { code: 'unauthorized', message: 'invalid token' } }, 401)
      c.set('apiUser', user)
      return next()
    }
    return requireUser()(c, next)
  }
}

export function currentUser(c: Context<WebEnv>): WebUser {
  const user = c.get('session')?.user ?? c.get('apiUser')
  if (!user) throw new HTTPException(401, { message: 'not signed in' })
  return user
}

/**
 * Every form post passes two checks: hono's csrf (the browser's Origin / Sec-Fetch-Site must be
 * ours) and a per-session token in the form. @NOTE either alone has gaps: Origin is missing
 * on some old browsers and proxies; a token alone does not stop a leaked token being replayed
 * from another site.
 */
export function requireCsrf(deps: WebDeps): MiddlewareHandler<WebEnv> {
  const allowed = deps.publicUrl ? new URL(deps.publicUrl).origin : undefined
  const originCheck = csrf({
    origin: (origin, c) => origin === new URL(c.req.url).origin || origin === allowed,
  })
  return async (c, next) => {
    try {
      await originCheck(c, async () => {})
    } catch (err) {
      if (err instanceof HTTPException) return refuse(c)
      throw err
    }
    const body = await c.req.parseBody()
    const sent = typeof body._csrf === 'string' ? body._csrf : ''
    const session = c.get('session')
    const expected = session
      ? session.csrfToken
      : ((await getSignedCookie(c, deps.sessionSecret, PRESESSION_COOKIE)) ?? '')
    if (!expected || !same(sent, expected)) return refuse(c)
    await next()
  }
}

function refuse(c: Context<WebEnv>) {
  return c.html(
    errorPage(
      403,
      'This form was not sent from this site, or it has expired. Reload the page and try again.',
      c.get('session')?.user,
    ),
    403,
  )
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The sign-in form's token, kept in a signed cookie until sign-in succeeds. */
export async function presessionToken(c: Context<WebEnv>, deps: WebDeps): Promise<string> {
  const existing = await getSignedCookie(c, deps.sessionSecret, PRESESSION_COOKIE)
  if (existing) return existing
  const token = randomBytes(24).toString('base64url')
  await setSignedCookie(
    c,
    PRESESSION_COOKIE,
    token,
    deps.sessionSecret,
    cookieOptions(deps, 3_600_000, c),
  )
  return token
}

export async function startSessionCookie(c: Context<WebEnv>, deps: WebDeps, id: string) {
  await setSignedCookie(
    c,
    SESSION_COOKIE,
    id,
    deps.sessionSecret,
    cookieOptions(deps, SESSION_TTL_MS, c),
  )
  deleteCookie(c, PRESESSION_COOKIE, { path: '/' })
}
