/** The comms team's audit web app, mounted at '/' on the service's Hono server. */

import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { type Context, Hono } from 'hono'
import { contextStorage } from 'hono/context-storage'
import { getSignedCookie } from 'hono/cookie'
import { HTTPException } from 'hono/http-exception'
import { isAppError } from '../errors.js'
import { httpLogger } from '../logger.js'
import type { Policy } from '../moderation/index.js'
import { loadSession, nowOf } from './auth.js'
import { CONTENT_SECURITY_POLICY, errorPage, notFoundPage } from './layout.js'
import { accountPageRoutes } from './routes/account.js'
import { accountRoutes } from './routes/accounts.js'
import { authorRoutes } from './routes/author.js'
import { commentRoutes } from './routes/comment.js'
import { connectFacebookRoutes } from './routes/connect-facebook.js'
import { connectXRoutes } from './routes/connect-x.js'
import { decisionsRoutes } from './routes/decisions.js'
import { disagreementRoutes } from './routes/disagreements.js'
import { evidenceRoutes } from './routes/evidence.js'
import { exportRoutes } from './routes/export.js'
import { overviewRoutes } from './routes/overview.js'
import { policyRoutes } from './routes/policy.js'
import { queueRoutes } from './routes/queue.js'
import { sendToReviewRoutes } from './routes/send-to-review.js'
import { settingsRoutes } from './routes/settings.js'
import { shadowRoutes } from './routes/shadow.js'
import { signinRoutes } from './routes/signin.js'
import { tokenRoutes } from './routes/tokens.js'
import { findSession, SESSION_COOKIE } from './sessions.js'
import type { WebAccount, WebDeps, WebEnv } from './types.js'

export { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.js'
export { buildEvidence, bundleIntact, type EvidenceBundle, parseEvidenceScope } from './evidence.js'
export { renderEvidenceHtml } from './evidence-html.js'
export { RetentionScheduler, startRetention } from './retention.js'
export { resolveSessionSecret } from './secret.js'
export type { WebAccount, WebDeps, WebOnboarding } from './types.js'
export { addUser, listUsers, ROLES, type Role, removeUser, type WebUser } from './users.js'
export { verifyAuditTrail } from './verify.js'

const PATHS = ['/', '/signin', '/signout', '/policy/*', '/audit', '/audit/*']

/** The compiled design system (npm run build:css), read once; served with a year's caching. */
const ASSETS = new URL('./assets/', import.meta.url)
const STYLESHEET = readFileSync(new URL('wardguard.css', ASSETS))
const STYLESHEET_TAG = createHash('sha256').update(STYLESHEET).digest('hex').slice(0, 16)
const IMAGES = new Set([
  'icon-close-cross-black.svg',
  'icon-tag-remove-cross.svg',
  'icon-tag-remove-cross-white.svg',
  'icon-toggle-plus-minus.svg',
])

export function createWebRoutes(deps: WebDeps): Hono {
  const app = new Hono<WebEnv>()
  // @NOTE mounted at '/', so middleware is bound to the app's own paths: a '*' here would also
  // run on the webhook routes mounted beside it
  app.get('/assets/wardguard.css', (c) => {
    c.header('cache-control', 'public, max-age=3600')
    c.header('etag', `"${STYLESHEET_TAG}"`)
    c.header('x-content-type-options', 'nosniff')
    return c.body(STYLESHEET, 200, { 'content-type': 'text/css; charset=utf-8' })
  })
  app.get('/assets/images/:name', (c) => {
    const name = c.req.param('name')
    // @NOTE a fixed list: the name never reaches the file system unchecked
    if (!IMAGES.has(name)) return c.notFound()
    c.header('cache-control', 'public, max-age=86400')
    c.header('x-content-type-options', 'nosniff')
    return c.body(readFileSync(new URL(`images/${name}`, ASSETS)), 200, {
      'content-type': 'image/svg+xml',
    })
  })
  for (const p of PATHS) {
    app.use(p, contextStorage())
    app.use(p, async (c, next) => {
      c.set('council', deps.council.name)
      await next()
    })
    app.use(p, loadSession(deps))
    app.use(p, async (c, next) => {
      await next()
      c.header('content-security-policy', CONTENT_SECURITY_POLICY)
      c.header('x-frame-options', 'DENY')
      c.header('x-content-type-options', 'nosniff')
      c.header('referrer-policy', 'same-origin')
      if (c.req.path !== '/' && !c.req.path.startsWith('/policy/'))
        c.header('cache-control', 'no-store')
    })
  }
  for (const routes of [
    signinRoutes,
    policyRoutes,
    overviewRoutes,
    decisionsRoutes,
    queueRoutes,
    commentRoutes,
    authorRoutes,
    exportRoutes,
    evidenceRoutes,
    tokenRoutes,
    settingsRoutes,
    accountRoutes,
    accountPageRoutes,
    connectFacebookRoutes,
    connectXRoutes,
    // issue 17: learning from the moderators
    disagreementRoutes,
    sendToReviewRoutes,
    shadowRoutes,
  ]) {
    app.route('/', routes(deps))
  }
  app.onError((err, c) => {
    const user = c.get('session')?.user
    if (err instanceof HTTPException)
      return c.html(errorPage(err.status, err.message, user), err.status)
    if (isAppError(err) && err.code === 'message_invalid')
      return c.html(errorPage(400, err.message, user), 400)
    if (isAppError(err) && err.code === 'dependency_unavailable') {
      c.header('retry-after', '5')
      return c.html(
        errorPage(503, 'The audit store is not reachable just now. Try again shortly.', user),
        503,
      )
    }
    httpLogger.error({ err }, 'web page failed')
    return c.html(errorPage(500, 'Something went wrong; it has been logged.', user), 500)
  })
  // @NOTE the host app has its own context variables; ours are set by loadSession on our paths
  return app as unknown as Hono
}

/**
 * The host app's answer for an address nothing serves: a page for a browser (it asks for
 * text/html), JSON for webhooks and API callers as before.
 */
export function webNotFound(deps: WebDeps): (c: Context) => Promise<Response> {
  return async (c) => {
    if (!(c.req.header('accept') ?? '').includes('text/html'))
      return c.json({ error: { code: 'not_found', message: 'No such route' } }, 404)
    const id = await getSignedCookie(c, deps.sessionSecret, SESSION_COOKIE)
    const session = id ? await findSession(deps.db, id, nowOf(deps)) : null
    c.header('content-security-policy', CONTENT_SECURITY_POLICY)
    c.header('x-content-type-options', 'nosniff')
    c.header('cache-control', 'no-store')
    return c.html(
      notFoundPage({
        user: session?.user ?? null,
        csrfToken: session?.csrfToken ?? '',
        council: deps.council.name,
      }),
      404,
    )
  }
}

/** The web app's view of the pipeline's accounts (AccountRuntime has the same fields). */
export function webAccountsFrom(
  runtimes: {
    account: {
      id: string
      name: string
      platform: 'facebook' | 'x'
      owner: { name: string; email?: string }
    }
    policy: Policy
  }[],
): WebAccount[] {
  return runtimes.map((r) => ({
    id: r.account.id,
    name: r.account.name,
    platform: r.account.platform,
    ownerName: r.account.owner.name,
    ownerEmail: r.account.owner.email,
    policy: r.policy,
  }))
}
