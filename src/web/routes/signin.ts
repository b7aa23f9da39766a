/** Sign-in and sign-out. Failures are counted per username; the fifth locks it for 15 minutes. */
import { Hono } from 'hono'
import { deleteCookie, getSignedCookie } from 'hono/cookie'
import { html } from 'hono/html'
import { httpLogger } from '../../logger.js'
import { nowOf, presessionToken, requireCsrf, startSessionCookie } from '../auth.js'
import { csrfField, page } from '../layout.js'
import { clearFailures, lockedUntil, recordFailure } from '../lockout.js'
import { dummyHash, verifyPassword } from '../passwords.js'
import { createSession, deleteSession, SESSION_COOKIE } from '../sessions.js'
import type { WebDeps, WebEnv } from '../types.js'
import { findUserWithHash } from '../users.js'

const log = httpLogger.child({ component: 'web-auth' })

function signinForm(token: string, next: string, message?: string) {
  return page({
    title: 'Sign in',
    body: html`${message ? html`<p class="error" role="alert">${message}</p>` : ''}
<form method="post" action="/signin">
${csrfField(token)}<input type="hidden" name="next" value="${next}">
<p><label>Username <input name="username" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p>
</form>`,
  })
}

/** Only same-site paths, so the form cannot be used to bounce people elsewhere. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/audit'
}

export function signinRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/signin', async (c) => {
    if (c.get('session')) return c.redirect('/audit', 303)
    return c.html(signinForm(await presessionToken(c, deps), safeNext(c.req.query('next'))))
  })
  app.post('/signin', requireCsrf(deps), async (c) => {
    const body = await c.req.parseBody()
    const username = String(body.username ?? '')
      .trim()
      .toLowerCase()
    const password = String(body.password ?? '')
    const next = safeNext(body.next)
    const now = nowOf(deps)
    const token = (await getSignedCookie(c, deps.sessionSecret, 'wg_presession')) || ''
    const locked = await lockedUntil(deps.db, username, now)
    if (locked) {
      log.warn({ username }, 'sign-in refused: locked out')
      const minutes = Math.ceil((locked.getTime() - now.getTime()) / 60_000)
      return c.html(
        signinForm(token, next, `Too many failed attempts. Try again in ${minutes} minute(s).`),
        429,
      )
    }
    const found = await findUserWithHash(deps.db, username)
    // @NOTE an unknown name costs the same hash as a wrong password: timing reveals nothing
    const ok = await verifyPassword(password, found?.passwordHash ?? (await dummyHash()))
    if (!found || !ok) {
      await recordFailure(deps.db, username, now)
      log.warn({ username }, 'sign-in failed')
      return c.html(signinForm(token, next, 'Wrong username or password.'), 401)
    }
    await clearFailures(deps.db, username)
    const session = await createSession(deps.db, username, now)
    await startSessionCookie(c, deps, session.id)
    log.info({ username, role: found.user.role }, 'signed in')
    return c.redirect(next, 303)
  })
  app.post('/signout', requireCsrf(deps), async (c) => {
    const id = await getSignedCookie(c, deps.sessionSecret, SESSION_COOKIE)
    if (id) await deleteSession(deps.db, id)
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.redirect('/signin', 303)
  })
  return app
}
