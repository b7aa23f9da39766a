/** GET /audit: charts of the last 30 days for the accounts this user may see. */
import { Hono } from 'hono'
import { html } from 'hono/html'
import type { FailedJobs } from '../../queue/failed-jobs.js'
import { scopeFor, visibleAccounts } from '../access.js'
import { currentUser, nowOf, requireUser } from '../auth.js'
import { hBars, stackedBars } from '../charts.js'
import { page } from '../layout.js'
import { type DayCount, loadOverview } from '../overview-data.js'
import type { WebDeps, WebEnv } from '../types.js'

function lookup(rows: DayCount[]) {
  const m = new Map(rows.map((r) => [`${r.day}|${r.key}`, r.n]))
  return (x: string, key: string) => m.get(`${x}|${key}`) ?? 0
}

function duration(s: number | null): string {
  if (s === null) return 'no data'
  if (s < 120) return `${s.toFixed(1)} s`
  if (s < 7200) return `${(s / 60).toFixed(1)} min`
  return `${(s / 3600).toFixed(1)} h`
}

export function overviewRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/', (c) => c.redirect('/audit', 303))
  app.get('/audit', requireUser(), async (c) => {
    const user = currentUser(c)
    const scope = scopeFor(user)
    const accounts = visibleAccounts(scope, deps.accounts())
    const o = await loadOverview(
      deps.db,
      scope,
      accounts.map((a) => a.id),
      nowOf(deps),
    )
    const names = new Map(deps.accounts().map((a) => [a.id, a.name]))
    const failed = user.role === 'admin' && deps.failedJobs ? await deps.failedJobs() : null
    const categories = [...new Set(o.byCategory.map((r) => r.key))].sort()
    const body = html`<p>Last 30 days, ${scope.all ? 'all accounts' : accounts.map((a) => a.name).join(', ')}.</p>
<div class="charts">
${stackedBars({ title: 'Flagged decisions per day, by category', xs: o.days, series: categories.map((k) => ({ key: k, label: k })), value: lookup(o.byCategory) })}
${stackedBars({
  title: 'Decisions per day: automatic and human',
  xs: o.days,
  series: [
    { key: 'automatic', label: 'automatic (policy)' },
    { key: 'human', label: 'human (admin review)' },
  ],
  value: lookup(o.autoVsHuman),
})}
<figure class="card" id="latency"><figcaption><strong>Time from comment to decision</strong></figcaption>
<table><tr><th></th><th>median</th><th>90th percentile</th></tr>
<tr><td>automatic</td><td>${duration(o.latency.automaticMedianS)}</td><td>${duration(o.latency.automaticP90S)}</td></tr>
<tr><td>human review</td><td>${duration(o.latency.humanMedianS)}</td><td>${duration(o.latency.humanP90S)}</td></tr></table></figure>
${hBars({ title: 'Waiting for review', rows: o.openReviews.map((r) => ({ label: names.get(r.accountId) ?? r.accountId, n: r.n })), empty: 'No accounts.' })}
${hBars({ title: 'Repeat offenders (2+ flagged comments)', rows: o.repeatOffenders.map((r) => ({ label: `${names.get(r.accountId) ?? r.accountId}: author ${r.authorId}`, n: r.n })), empty: 'No repeat offenders in this period.' })}
</div>
${failed ? failedJobsCard(failed) : ''}`
    return c.html(page({ title: 'Overview', user, csrfToken: c.get('session')?.csrfToken, body }))
  })
  return app
}

/** Jobs the queues gave up on: a count and the latest few, so none goes unseen. */
function failedJobsCard(f: FailedJobs) {
  return html`<section class="card" id="failed-jobs"><h2>Failed jobs: ${f.total}</h2>
${
  f.total === 0
    ? html`<p class="muted">No job has failed.</p>`
    : html`<table><tr><th>queue</th><th>job</th><th>attempts</th><th>failed at (UTC)</th><th>reason</th></tr>
${f.recent.map((j) => html`<tr><td>${j.queue}</td><td>${j.id}</td><td>${j.attempts}</td><td>${j.failedAt ?? ''}</td><td>${j.reason}</td></tr>`)}</table>`
}</section>`
}
