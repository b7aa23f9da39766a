/** GET /audit/decisions: what the policy and the admins decided, filtered, newest first. */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { CATEGORIES } from '../../moderation/index.js'
import { canSeeText, scopeFor, visibleAccounts } from '../access.js'
import { currentUser, requireUser } from '../auth.js'
import {
  type DecisionQuery,
  decisionPage,
  OUTCOMES,
  outcomeOf,
  parseDecisionQuery,
} from '../decision-query.js'
import { formatTime, type Html, page } from '../layout.js'
import type { WebAccount, WebDeps, WebEnv } from '../types.js'

const PAGE_SIZE = 50

export function decisionsRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/audit/decisions', requireUser(), async (c) => {
    const user = currentUser(c)
    const raw = c.req.query()
    const q = parseDecisionQuery(raw)
    const scope = scopeFor(user)
    const withText = canSeeText(user)
    if (!withText) q.q = undefined
    const result = await decisionPage(deps.db, q, scope, {
      cursor: raw.cursor || null,
      limit: PAGE_SIZE,
      maxScan: 5_000,
      withText,
    })
    const accounts = visibleAccounts(scope, deps.accounts())
    const names = new Map(deps.accounts().map((a) => [a.id, a.name]))
    const qs = querySuffix(q)
    const body = html`${filterForm(q, accounts, withText)}
<p><a href="/audit/export.csv${qs}">Download CSV</a> · <a href="/audit/export.json${qs}">Download JSON</a></p>
<table id="decisions"><thead><tr><th>When</th><th>Account</th><th>By</th><th>Outcome</th><th>Categories and rules</th><th>Reason</th>${
      withText ? html`<th>Comment</th>` : ''
    }<th></th></tr></thead><tbody>
${result.rows.length === 0 ? html`<tr><td colspan="8">No decisions match these filters.</td></tr>` : ''}
${result.rows.map(({ event: e, snapshot }) => {
  const outcome = outcomeOf(e)
  return html`<tr><td>${formatTime(e.createdAt)}</td><td>${names.get(e.accountId ?? '') ?? e.accountId}</td>
<td>${e.actor.kind === 'policy' ? 'policy (automatic)' : e.actor.id}</td>
<td><span class="tag ${outcome}">${outcome}</span></td>
<td>${e.categories.map((x) => html`<span class="tag">${x}</span>`)} <span class="muted">${e.ruleIds.join(', ')}</span></td>
<td>${e.reason ?? ''}</td>${
    withText
      ? html`<td>${snapshot?.text ?? html`<span class="muted">${snapshot?.purgedAt ? 'text purged' : 'no text'}</span>`}</td>`
      : ''
  }<td><a href="/audit/comments/${encodeURIComponent(e.subjectKey)}">history</a></td></tr>`
})}
</tbody></table>
${
  result.nextCursor
    ? html`<p>${result.paused ? html`<span class="muted">Searched 5,000 events without filling the page.</span> ` : ''}<a rel="next" href="/audit/decisions${querySuffix(q, result.nextCursor)}">Older decisions →</a></p>`
    : ''
}`
    return c.html(page({ title: 'Decisions', user, csrfToken: c.get('session')?.csrfToken, body }))
  })
  return app
}

export function querySuffix(q: DecisionQuery, cursor?: string): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v))
  if (cursor) params.set('cursor', cursor)
  const s = params.toString()
  return s ? `?${s}` : ''
}

function select(
  name: string,
  label: string,
  value: string | undefined,
  options: [string, string][],
): Html {
  return html`<label>${label}<select name="${name}"><option value="">any</option>${options.map(
    ([v, text]) => html`<option value="${v}"${v === value ? ' selected' : ''}>${text}</option>`,
  )}</select></label>`
}

function filterForm(q: DecisionQuery, accounts: WebAccount[], withText: boolean): Html {
  return html`<form class="filters" method="get" action="/audit/decisions">
${select(
  'account',
  'Account',
  q.account,
  accounts.map((a) => [a.id, a.name]),
)}
${select(
  'category',
  'Category',
  q.category,
  CATEGORIES.map((x) => [x, x]),
)}
${select(
  'outcome',
  'Outcome',
  q.outcome,
  OUTCOMES.map((x) => [x, x]),
)}
${select('by', 'Decided', q.by, [
  ['policy', 'automatically'],
  ['human', 'by an admin'],
])}
<label>Admin (Slack id)<input name="admin" value="${q.admin ?? ''}" size="12"></label>
<label>From<input type="date" name="from" value="${q.from ?? ''}"></label>
<label>To<input type="date" name="to" value="${q.to ?? ''}"></label>
${withText ? html`<label>Text contains<input name="q" value="${q.q ?? ''}"></label>` : ''}
<button type="submit">Filter</button> <a href="/audit/decisions">clear</a>
</form>`
}
