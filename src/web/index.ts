/** The comms team's audit web app, mounted at '/' on the service's Hono server. */
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { isAppError } from '../errors.js'
import { httpLogger } from '../logger.js'
import type { Policy } from '../moderation/index.js'
import { loadSession } from './auth.js'
import { CONTENT_SECURITY_POLICY, errorPage } from './layout.js'
import { accountRoutes } from './routes/accounts.js'
import { commentRoutes } from './routes/comment.js'
import { connectFacebookRoutes } from './routes/connect-facebook.js'
import { connectXRoutes } from './routes/connect-x.js'
import { decisionsRoutes } from './routes/decisions.js'
import { disagreementRoutes } from './routes/disagreements.js'
import { evidenceRoutes } from './routes/evidence.js'
import { exportRoutes } from './routes/export.js'
import { overviewRoutes } from './routes/overview.js'
import { policyRoutes } from './routes/policy.js'
import { sendToReviewRoutes } from './routes/send-to-review.js'
import { shadowRoutes } from './routes/shadow.js'
import { signinRoutes } from './routes/signin.js'
import { tokenRoutes } from './routes/tokens.js'
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

export function createWebRoutes(deps: WebDeps): Hono {
  const app = new Hono<WebEnv>()
  // @NOTE mounted at '/', so middleware is bound to the app's own paths: a '*' here would also
  // run on the webhook routes mounted beside it
  for (const p of PATHS) {
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
    commentRoutes,
    exportRoutes,
    evidenceRoutes,
    tokenRoutes,
    accountRoutes,
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
