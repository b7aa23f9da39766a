/**
 * Sign-in and sign-out. Failures are counted per username and source address, with a growing
 * wait after the fifth (lockout.ts); password checks run a few at a time (scrypt is CPU-heavy).
 */
import { Sema } from 'async-sema'
import { Hono } from 'hono'
import { deleteCookie, getSignedCookie } from 'hono/cookie'
import { html } from 'hono/html'
import { clientAddress } from '../../http/client-address.js'
import { httpLogger } from '../../logger.js'
import { nowOf, presessionToken, requireCsrf, startSessionCookie } from '../auth.js'
import { csrfField, page } from '../layout.js'
import { beginAttempt, clearFailures, throttleKey } from '../lockout.js'
import { dummyHash, verifyPassword } from '../passwords.js'
import { createSession, deleteSession, SESSION_COOKIE } from '../sessions.js'
import type { WebDeps, WebEnv } from '../types.js'
import { findUserWithHash } from '../users.js'

const log = httpLogger.child({ component: 'web-auth' })

/** Password checks at once: each costs ~50 ms of a core; the rest get a quick 503. */
export const DEFAULT_HASH_CONCURRENCY = 2

function signinForm(token: string, next: string, message?: string) {
  return page({
    title: 'Sign in',
    body: html`${
      message
        ? html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">
<h2 class="govuk-error-summary__title">There is a problem</h2>
<div class="govuk-error-summary__body"><p class="govuk-body">${message}</p></div></div></div>`
        : ''
    }
<form method="post" action="/signin" novalidate>
${csrfField(token)}<input type="hidden" name="next" value="${next}">
<div class="govuk-form-group"><label class="govuk-label" for="username">Username</label>
<input class="govuk-input govuk-!-width-one-half" id="username" name="username" autocomplete="username" spellcheck="false" required></div>
<div class="govuk-form-group"><label class="govuk-label" for="password">Password</label>
<input class="govuk-input govuk-!-width-one-half" id="password" name="password" type="password" autocomplete="current-password" required></div>
<button type="submit" class="govuk-button">Sign in</button>
</form>
<h2 class="govuk-heading-m">How to get a login</h2>
<p class="govuk-body">Logins are made by whoever runs Wardguard for the council. Ask them to run:</p>
<pre class="govuk-body"><code>wardguard users add YOUR-NAME --role councillor --account ACCOUNT-ID</code></pre>
<p class="govuk-body">For the very first login, the person who installed Wardguard runs
<code>wardguard users add admin --role admin</code> on the server, then signs in here and adds the
others the same way. Roles: <strong>admin</strong> (everything), <strong>auditor</strong>
(reads everything), <strong>councillor</strong> (their own accounts).</p>`,
  })
}

/** Only same-site paths, so the form cannot be used to bounce people elsewhere. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/audit'
}

export function signinRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  const hashing = new Sema(deps.hashConcurrency ?? DEFAULT_HASH_CONCURRENCY)
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
    // @NOTE a free hashing slot first: a flood gets a quick 503 and no scrypt, so it cannot
    // starve the webhooks of CPU, and a refused attempt is not counted against anyone
    if (!hashing.tryAcquire()) {
      log.warn('sign-in refused: too many checks at once')
      c.header('retry-after', '2')
      return c.html(signinForm(token, next, 'Too many sign-ins at once. Try again shortly.'), 503)
    }
    try {
      const key = throttleKey(username, clientAddress(c, deps.trustProxy ?? false))
      const attempt = await beginAttempt(deps.db, key, now)
      if (!attempt.allowed) {
        log.warn({ username }, 'sign-in refused: too many failures from this address')
        const seconds = Math.ceil((attempt.until.getTime() - now.getTime()) / 1_000)
        c.header('retry-after', String(seconds))
        const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`
        return c.html(
          signinForm(token, next, `Too many failed attempts. Try again in ${wait}.`),
          429,
        )
      }
      const found = await findUserWithHash(deps.db, username)
      // @NOTE an unknown name costs the same hash as a wrong password: timing reveals nothing
      const ok = await verifyPassword(password, found?.passwordHash ?? (await dummyHash()))
      if (!found || !ok) {
        log.warn({ username }, 'sign-in failed')
        return c.html(signinForm(token, next, 'Wrong username or password.'), 401)
      }
      await clearFailures(deps.db, key)
      const session = await createSession(deps.db, username, now)
      await startSessionCookie(c, deps, session.id)
      log.info({ username, role: found.user.role }, 'signed in')
      return c.redirect(next, 303)
    } finally {
      hashing.release()
    }
  })
  app.post('/signout', requireCsrf(deps), async (c) => {
    const id = await getSignedCookie(c, deps.sessionSecret, SESSION_COOKIE)
    if (id) await deleteSession(deps.db, id)
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.redirect('/signin', 303)
  })
  return app
}
