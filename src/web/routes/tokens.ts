/** /audit/tokens (admins): read-only API tokens for exports. The token is shown once. */
import { type Context, Hono } from 'hono'
import { html } from 'hono/html'
import { createApiToken, listApiTokens, revokeApiToken } from '../api-tokens.js'
import { currentUser, requireCsrf, requireUser } from '../auth.js'
import { csrfField, formatTime, page } from '../layout.js'
import type { WebDeps, WebEnv } from '../types.js'
import { listUsers } from '../users.js'

export function tokenRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  const render = async (c: Context<WebEnv>, created?: string) => {
    const user = currentUser(c)
    const csrf = c.get('session')?.csrfToken ?? ''
    const tokens = await listApiTokens(deps.db)
    const users = await listUsers(deps.db)
    const body = html`${created ? html`<p class="card">New token (copy it now, it is not shown again): <code id="new-token">${created}</code></p>` : ''}
<p>Tokens are read-only: they can download the CSV and JSON exports (header <code>Authorization: Bearer …</code>) with the accounts their user may see.</p>
<table><thead><tr><th>Id</th><th>User</th><th>Label</th><th>Created</th><th>Last used</th><th></th></tr></thead><tbody>
${tokens.map(
  (
    t,
  ) => html`<tr><td>${t.id}</td><td>${t.username}</td><td>${t.label}</td><td>${formatTime(t.createdAt)}</td><td>${t.lastUsedAt ? formatTime(t.lastUsedAt) : 'never'}</td>
<td><form method="post" action="/audit/tokens/${t.id}/revoke">${csrfField(csrf)}<button>Revoke</button></form></td></tr>`,
)}
</tbody></table>
<h2>New token</h2>
<form method="post" action="/audit/tokens">${csrfField(csrf)}
<label>Acts for user<select name="username">${users.map((u) => html`<option>${u.username}</option>`)}</select></label>
<label>Label<input name="label" required maxlength="100"></label><button>Create</button></form>`
    return c.html(page({ title: 'API tokens', user, csrfToken: csrf, body }))
  }
  app.get('/audit/tokens', requireUser('admin'), (c) => render(c))
  app.post('/audit/tokens', requireUser('admin'), requireCsrf(deps), async (c) => {
    const body = await c.req.parseBody()
    const label =
      String(body.label ?? '')
        .trim()
        .slice(0, 100) || 'export'
    const created = await createApiToken(deps.db, String(body.username ?? ''), label)
    return render(c, created.token)
  })
  app.post('/audit/tokens/:id/revoke', requireUser('admin'), requireCsrf(deps), async (c) => {
    await revokeApiToken(deps.db, c.req.param('id'))
    return c.redirect('/audit/tokens', 303)
  })
  return app
}
