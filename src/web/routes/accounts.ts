/**
 * /audit/accounts (admins): every watched account with where it is managed, where its token
 * comes from and the token's health in plain words; the Connect buttons; the account history.
 */
import { type Context, Hono } from 'hono'
import { html } from 'hono/html'
import { type AccountNumbers, accountNumbers, listEvents } from '../../audit/index.js'
import type { Account } from '../../config/accounts.js'
import { type AccountRow, accountRows } from '../account-rows.js'
import { connectBlocker } from '../accounts-web.js'
import { currentUser, nowOf, requireUser } from '../auth.js'
import { csrfField, type Html, page, timeTag } from '../layout.js'
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
  const numbers = new Map(
    (
      await accountNumbers(w.ob.db, {
        accountIds: null,
        from: new Date(nowOf(deps).getTime() - 30 * 86_400_000).toISOString(),
        to: nowOf(deps).toISOString(),
      })
    ).map((n) => [n.accountId, n]),
  )
  const body = html`${notices(c, rows)}
<p class="govuk-body">Numbers are for the last 30 days; each one opens the decisions it counts.</p>
<div class="wg-table-scroll" role="region" aria-label="Accounts" tabindex="0">
<table class="govuk-table wg-stack" id="accounts"><thead class="govuk-table__head"><tr class="govuk-table__row">
<th scope="col" class="govuk-table__header">Account</th><th scope="col" class="govuk-table__header">Owner and review</th>
<th scope="col" class="govuk-table__header">Connection</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Comments</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Hidden automatically</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Waiting</th>
<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Manage</span></th></tr></thead><tbody class="govuk-table__body">
${rows.length === 0 ? html`<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="7">No accounts yet: connect one below.</td></tr>` : ''}
${rows.map((r) => accountRow(r, numbers.get(r.account.id)))}
</tbody></table></div>
<h2 class="govuk-heading-m">Connect an account</h2>
${connectButtons(w, csrf)}
<h2 class="govuk-heading-m">Account history</h2>
<p class="govuk-body">Connecting, changing and removing accounts is part of the audit trail; removing an account keeps its history.</p>
<div class="wg-table-scroll" role="region" aria-label="Account history" tabindex="0">
<table class="govuk-table wg-stack" id="account-history"><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">When</th><th scope="col" class="govuk-table__header">Account</th><th scope="col" class="govuk-table__header">What</th><th scope="col" class="govuk-table__header">By</th><th scope="col" class="govuk-table__header">Reason</th></tr></thead><tbody class="govuk-table__body">
${history.items.map(
  (
    e,
  ) => html`<tr class="govuk-table__row" data-type="${e.type}" data-account="${e.accountId ?? ''}"><td class="govuk-table__cell" data-label="When">${timeTag(e.createdAt)}</td><td class="govuk-table__cell" data-label="Account">${e.accountId ?? ''}</td>
<td class="govuk-table__cell" data-label="What">${e.type.replace('account.', '')}</td><td class="govuk-table__cell" data-label="By">${e.actor.id.replace(/^web\//, '')}</td><td class="govuk-table__cell" data-label="Reason">${e.reason ?? ''}</td></tr>`,
)}
${history.items.length === 0 ? html`<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="5">Nothing yet.</td></tr>` : ''}
</tbody></table></div>`
  return c.html(page({ title: 'Accounts', user, csrfToken: csrf, body }))
}

const HEALTH_TAG: Record<AccountRow['health']['state'], string> = {
  working: 'govuk-tag--green',
  unchecked: 'govuk-tag--grey',
  expiring: 'govuk-tag--yellow',
  failing: 'govuk-tag--red',
  none: 'govuk-tag--red',
}

function accountRow(r: AccountRow, n: AccountNumbers | undefined): Html {
  const a = r.account
  const web = r.managedIn === 'web'
  const decisions = (extra: string) =>
    `/audit/decisions?account=${encodeURIComponent(a.id)}${extra}`
  return html`<tr class="govuk-table__row" data-account="${a.id}"><td class="govuk-table__cell" data-label="Account"><a class="govuk-link" href="/audit/account/${a.id}"><strong>${a.name}</strong></a><br><span class="govuk-body-s">${platformWords(a)}</span><br><span class="govuk-body-s wg-muted">${a.id} · ${web ? 'connected here' : 'set in the YAML file'}</span></td>
<td class="govuk-table__cell" data-label="Owner and review">${a.owner.name}<br><span class="govuk-body-s">Slack channel ${a.review.channel}</span></td>
<td class="govuk-table__cell" data-label="Connection"><strong class="govuk-tag ${HEALTH_TAG[r.health.state]} health ${r.health.state}">${r.health.words}</strong><br><span class="govuk-body-s">Token from ${r.tokenSource}${r.expires ? html`, expires ${r.expires}` : ''}</span><br><span class="govuk-body-s wg-muted">${r.checkedAt ? html`Checked ${timeTag(r.checkedAt.toISOString())}` : r.tokenSource === 'none' ? '' : 'Not checked yet'}</span></td>
<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Comments"><a class="govuk-link" href="${decisions('&by=policy')}">${n?.received ?? 0}</a></td>
<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Hidden automatically"><a class="govuk-link" href="${decisions('&outcome=act')}">${n?.hiddenAutomatically ?? 0}</a></td>
<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Waiting"><a class="govuk-link" href="/audit/account/${a.id}#waiting">${n?.waiting ?? 0}</a></td>
<td class="govuk-table__cell" data-label="Manage">${
    web
      ? html`<a class="govuk-link" href="/audit/accounts/${a.id}/edit">Edit<span class="govuk-visually-hidden"> ${a.name}</span></a><br><a class="govuk-link" href="/audit/accounts/${a.id}/remove">Remove<span class="govuk-visually-hidden"> ${a.name}</span></a>`
      : html`<span class="govuk-body-s wg-muted">Edit in the YAML file</span>`
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
    ? html`<p class="govuk-body" id="facebook-blocked">${fb}</p>`
    : html`<form method="post" action="/audit/accounts/facebook/start">${csrfField(csrf)}<button class="govuk-button">Connect a Facebook Page</button></form>`
}
${
  x
    ? html`<p class="govuk-body" id="x-blocked">${x}</p>`
    : html`<form method="post" action="/audit/accounts/x/start">${csrfField(csrf)}<button class="govuk-button">Connect an X account</button></form>`
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
  return html`${connected ? html`<p class="govuk-inset-text notice" role="status">Connected: ${connected}. Wardguard moderates new comments from now on.</p>` : ''}
${updated ? html`<p class="govuk-inset-text notice" role="status">Saved the settings of ${updated}.</p>` : ''}`
}
