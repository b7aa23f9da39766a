/** GET /audit/evidence(.json)?comment=… | ?account=…&author=… | ?account=…&post=… */
import { type Context, Hono } from 'hono'
import { canSeeAccount, scopeFor } from '../access.js'
import { currentUser, nowOf, requireUser } from '../auth.js'
import { buildEvidence, parseEvidenceScope } from '../evidence.js'
import { renderEvidenceHtml } from '../evidence-html.js'
import type { WebDeps, WebEnv } from '../types.js'

export function evidenceRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  const handler = async (c: Context<WebEnv>, json: boolean) => {
    const user = currentUser(c)
    const q = c.req.query()
    const scope = parseEvidenceScope({
      comment: q.comment,
      account: q.account,
      author: q.author,
      post: q.post,
    })
    const access = scopeFor(user)
    const bundle = await buildEvidence(deps.db, scope, {
      generatedBy: `web:${user.username}`,
      now: nowOf(deps),
      allowAccount: (id) => canSeeAccount(access, id),
    })
    const name = `wardguard-evidence-${bundle.bundleSha256.slice(0, 12)}`
    if (json) {
      c.header('content-disposition', `attachment; filename="${name}.json"`)
      return c.json(bundle)
    }
    return c.html(await renderEvidenceHtml(bundle))
  }
  app.get('/audit/evidence', requireUser('admin', 'auditor'), (c) => handler(c, false))
  app.get('/audit/evidence.json', requireUser('admin', 'auditor'), (c) => handler(c, true))
  return app
}
