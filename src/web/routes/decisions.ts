/** GET /audit/decisions: what the policy and people decided, filtered, newest first. */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { moderatorIds } from '../../audit/index.js'
import { canSeeText, scopeFor, visibleAccounts } from '../access.js'
import { currentUser, requireUser } from '../auth.js'
import {
  type DecisionQuery,
  type DecisionRow,
  decisionPage,
  outcomeOf,
  parseDecisionQuery,
} from '../decision-query.js'
import { page } from '../layout.js'
import { type NameOf, nameResolver, stateOf } from '../plain.js'
import type { WebDeps, WebEnv } from '../types.js'
import { namesForModerators } from '../users.js'
import { bulkActionBar, canDecideAny, resultBanner } from '../views/act-forms.js'
import {
  DECISION_SORTS,
  type DecisionSort,
  decisionsTable,
  filterPanel,
} from '../views/decisions.js'

const PAGE_SIZE = 50

export function decisionsRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/audit/decisions', requireUser(), async (c) => {
    const user = currentUser(c)
    const raw = c.req.query()
    const {
      sort: rawSort,
      dir,
      cursor: _c,
      acted,
      done,
      already,
      refused,
      failed,
      ...filters
    } = raw
    const q = parseDecisionQuery(filters)
    const sort: DecisionSort = (DECISION_SORTS as readonly string[]).includes(rawSort ?? '')
      ? (rawSort as DecisionSort)
      : 'when'
    const desc = sort === 'when' ? dir !== 'asc' : dir === 'desc'
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
    const byId = new Map(deps.accounts().map((a) => [a.id, a]))
    const ids = await moderatorIds(deps.db, scope.all ? null : scope.accountIds)
    const slackIds = [
      ...new Set([
        ...ids.map((i) => i.replace(/^slack\//, '')),
        ...result.rows.map((r) => r.event.actor.id.replace(/^slack\//, '')),
      ]),
    ]
    const nameOf = nameResolver(await namesForModerators(deps.db, slackIds))
    sortRows(result.rows, sort, desc, nameOf)
    const qs = querySuffix(q)
    const selectable = canDecideAny(user, deps)
    const sortHref = (key: string, d: boolean) =>
      `/audit/decisions${querySuffix(q, undefined, { sort: key, dir: d ? 'desc' : 'asc' })}`
    const body = html`${resultBanner(raw)}<div class="moj-filter-layout">
<div class="moj-filter-layout__filter">${filterPanel({
      q,
      accounts,
      moderators: ids.map((id) => [id.replace(/^slack\//, ''), nameOf(id)]),
      withText,
    })}</div>
<div class="moj-filter-layout__content">
<p class="govuk-body"><a class="govuk-link" href="/audit/export.csv${qs}">Download these decisions (CSV)</a> · <a class="govuk-link" href="/audit/export.json${qs}">JSON</a></p>
${sort !== 'when' ? html`<p class="govuk-body-s wg-muted">Sorted within this page of ${PAGE_SIZE}; pages follow in time order.</p>` : ''}
${selectable ? bulkActionBar({ csrfToken: c.get('session')?.csrfToken ?? '', back: `/audit/decisions${querySuffix(q, raw.cursor || undefined, raw.sort ? { sort: raw.sort, dir: raw.dir ?? '' } : undefined)}` }) : ''}
${decisionsTable({ result, names: byId, nameOf, withText, selectable, sort, desc, sortHref })}
${
  result.nextCursor
    ? html`<nav class="govuk-pagination govuk-pagination--block" aria-label="Pagination"><div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" rel="next" href="/audit/decisions${querySuffix(q, result.nextCursor)}"><span class="govuk-pagination__link-title">Older decisions</span>${result.paused ? html`<span class="govuk-pagination__link-label">Searched 5,000 events without filling the page</span>` : ''}</a></div></nav>`
    : ''
}
</div></div>`
    return c.html(page({ title: 'Decisions', user, csrfToken: c.get('session')?.csrfToken, body }))
  })
  return app
}

function sortRows(rows: DecisionRow[], sort: DecisionSort, desc: boolean, nameOf: NameOf): void {
  const key = (r: DecisionRow): string => {
    switch (sort) {
      case 'when':
        return r.event.createdAt
      case 'account':
        return r.event.accountId ?? ''
      case 'author':
        return (r.snapshot?.authorName ?? r.event.authorId ?? '').toLowerCase()
      case 'outcome':
        return `${outcomeOf(r.event)} ${nameOf(r.event.actor.id)}`
      case 'state':
        return stateOf(r.status).text
    }
  }
  rows.sort((a, b) => {
    const c = key(a).localeCompare(key(b)) || a.event.createdAt.localeCompare(b.event.createdAt)
    return desc ? -c : c
  })
}

export function querySuffix(
  q: DecisionQuery,
  cursor?: string,
  extra?: Record<string, string>,
): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v))
  if (cursor) params.set('cursor', cursor)
  for (const [k, v] of Object.entries(extra ?? {})) if (v) params.set(k, v)
  const s = params.toString()
  return s ? `?${s}` : ''
}
