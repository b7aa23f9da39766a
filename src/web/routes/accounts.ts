/**
 * /audit/accounts (admins): every watched account with where it is managed, where its token
 * comes from and the token's health in plain words; the Connect buttons; the account history.
 */
import { type Context, Hono } from 'hono'
import { html } from 'hono/html'
import { listEvents } from '../../audit/index.js'
import type { Account } from '../../config/accounts.js'
import { type AccountRow, accountRows } from '../account-rows.js'
import { connectBlocker } from '../accounts-web.js'
import { currentUser, nowOf, requireUser } from '../auth.js'
import { csrfField, formatTime, type Html, page } from '../layout.js'
import type { WebDeps, WebEnv, WebOnboarding } from '../types.js'
import { accountEditRoutes } from './accounts-edit.js'

const ACCOUNT_ID = /^[a-z0-9][a-z0-9-]*$/

export function accountRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/audit/accounts', requireUser('admin'), (c) => listPage(c, deps))
  app.route('/', accountEditRoutes(deps))
  return app
}

async function listPage(c: Context<WebEnv>, deps: WebDeps) {
  const user = currentUser(c)
  const csrf = c.get('session')?.csrfToken ?? ''
  const w = deps.onboarding
  if (!w) {
    const body = html`<p>Accounts cannot be managed from this web app: it runs without the account store.</p>`
    return c.html(page({ title: 'Accounts', user, csrfToken: csrf, body }))
  }
  const rows = await accountRows(w, nowOf(deps))
  const history = await listEvents(
    w.ob.db,
    { type: ['account.connected', 'account.updated', 'account.removed'] },
    null,
    30,
  )
  const body = html`${notices(c, rows)}
<table id="accounts"><thead><tr><th>Account</th><th>Platform</th><th>Owner</th><th>Review channel</th>
<th>Managed in</th><th>Token from</th><th>Health</th><th>Token expires</th><th>Last checked</th><th></th></tr></thead><tbody>
${rows.length === 0 ? html`<tr><td colspan="10">No accounts yet: connect one below.</td></tr>` : ''}
${rows.map((r) => accountRow(r))}
</tbody></table>
<h2>Connect an account</h2>
${connectButtons(w, csrf)}
<h2>Account history</h2>
<p class="muted">Connecting, changing and removing accounts is part of the audit trail; removing an account keeps its history.</p>
<table id="account-history"><thead><tr><th>When</th><th>Account</th><th>What</th><th>By</th><th>Reason</th></tr></thead><tbody>
${history.items.map(
  (
    e,
  ) => html`<tr data-type="${e.type}" data-account="${e.accountId ?? ''}"><td>${formatTime(e.createdAt)}</td><td>${e.accountId ?? ''}</td>
<td>${e.type.replace('account.', '')}</td><td>${e.actor.id}</td><td>${e.reason ?? ''}</td></tr>`,
)}
${history.items.length === 0 ? html`<tr><td colspan="5">Nothing yet.</td></tr>` : ''}
</tbody></table>`
  return c.html(page({ title: 'Accounts', user, csrfToken: csrf, body }))
}

function accountRow(r: AccountRow): Html {
  const a = r.account
  const web = r.managedIn === 'web'
  return html`<tr data-account="${a.id}"><td><strong>${a.name}</strong><br><span class="muted">${a.id}</span></td>
<td>${platformWords(a)}</td><td>${a.owner.name}</td><td>${a.review.channel}</td>
<td>${web ? 'web app' : 'YAML'}</td><td>${r.tokenSource}</td>
<td class="health ${r.health.state}">${r.health.words}</td><td>${r.expires}</td>
<td>${r.checkedAt ? formatTime(r.checkedAt.toISOString()) : r.tokenSource === 'none' ? '' : 'not yet'}</td>
<td>${
    web
      ? html`<a href="/audit/accounts/${a.id}/edit">Edit</a> <a href="/audit/accounts/${a.id}/remove">Remove</a>`
      : html`<span class="muted">edit in the YAML file</span>`
  }</td></tr>`
}

function platformWords(a: Account): string {
  return a.platform === 'facebook'
    ? `Facebook Page ${a.pageId}`
    : `X ${a.handle ? `@${a.handle}` : `user ${a.userId}`}`
}

function connectButtons(w: WebOnboarding, csrf: string): Html {
  const fb = connectBlocker(w.ob, 'facebook')
  const x = connectBlocker(w.ob, 'x')
  return html`<div class="connect">
${
  fb
    ? html`<p class="muted" id="facebook-blocked">${fb}</p>`
    : html`<form method="post" action="/audit/accounts/facebook/start">${csrfField(csrf)}<button>Connect a Facebook Page</button></form>`
}
${
  x
    ? html`<p class="muted" id="x-blocked">${x}</p>`
    : html`<form method="post" action="/audit/accounts/x/start">${csrfField(csrf)}<button>Connect an X account</button></form>`
}
</div>`
}

/** After a redirect: what was just done. Only ids of accounts that exist are repeated. */
function notices(c: Context<WebEnv>, rows: AccountRow[]): Html {
  const ids = new Set(rows.map((r) => r.account.id))
  const list = (key: string) =>
    (c.req.query(key) ?? '')
      .split(',')
      .filter((id) => ACCOUNT_ID.test(id) && ids.has(id))
      .join(', ')
  const connected = list('connected')
  const updated = list('updated')
  return html`${connected ? html`<p class="card notice" role="status">Connected: ${connected}. Wardguard moderates new comments from now on.</p>` : ''}
${updated ? html`<p class="card notice" role="status">Saved the settings of ${updated}.</p>` : ''}`
}
