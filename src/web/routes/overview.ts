/** GET /audit: headline numbers and charts for a date range and account, each one a link. */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { accountNumbers, loadOverview } from '../../audit/index.js'
import type { FailedJobs } from '../../queue/failed-jobs.js'
import { canSeeAccount, scopeFor, visibleAccounts } from '../access.js'
import { currentUser, nowOf, requireUser } from '../auth.js'
import { dayBars, PALETTE, rankBars } from '../charts.js'
import { londonDayStart, page } from '../layout.js'
import { CATEGORY_NAMES, categoryName, platformName } from '../plain.js'
import type { WebDeps, WebEnv } from '../types.js'
import { errorSummary, inputField, selectField } from '../views/components.js'

const DAY = /^\d{4}-\d{2}-\d{2}$/
const LONDON_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
const LONG = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})
const longDay = (d: string) => LONG.format(new Date(`${d}T00:00:00Z`))

function duration(s: number | null): string {
  if (s === null) return 'no data'
  if (s < 120) return `${s.toFixed(1)} seconds`
  if (s < 7200) return `${(s / 60).toFixed(1)} minutes`
  return `${(s / 3600).toFixed(1)} hours`
}

export function overviewRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/', (c) => c.redirect('/audit', 303))
  app.get('/audit', requireUser(), async (c) => {
    const user = currentUser(c)
    const scope = scopeFor(user)
    const accounts = visibleAccounts(scope, deps.accounts())
    const q = c.req.query()
    const today = LONDON_DAY.format(nowOf(deps))
    const monthAgo = LONDON_DAY.format(new Date(nowOf(deps).getTime() - 29 * 86_400_000))
    const problems: string[] = []
    let from = q.from && DAY.test(q.from) ? q.from : monthAgo
    let to = q.to && DAY.test(q.to) ? q.to : today
    if ((q.from && !DAY.test(q.from)) || (q.to && !DAY.test(q.to)))
      problems.push('Dates must be real dates, like 2026-05-01.')
    if (from > to) {
      problems.push('The start date must be before the end date.')
      ;[from, to] = [to, from]
    }
    if (Date.parse(to) - Date.parse(from) > 366 * 86_400_000) {
      problems.push('Show at most a year at a time.')
      from = LONDON_DAY.format(new Date(Date.parse(to) - 365 * 86_400_000))
    }
    const account = q.account && canSeeAccount(scope, q.account) ? q.account : undefined
    const ids = account ? [account] : scope.all ? null : scope.accountIds
    const o = await loadOverview(deps.db, { from, to, accountIds: ids })
    // UK days, as on the charts
    const startUtc = londonDayStart(from)
    const endUtc = londonDayStart(
      new Date(Date.parse(`${to}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
    )
    const numbers = await accountNumbers(deps.db, { accountIds: ids, from: startUtc, to: endUtc })
    const total = (
      k: 'received' | 'hiddenAutomatically' | 'sentForReview' | 'decidedByPeople' | 'waiting',
    ) => numbers.reduce((s, n) => s + n[k], 0)
    const names = new Map(deps.accounts().map((a) => [a.id, a.name]))
    const failed = user.role === 'admin' && deps.failedJobs ? await deps.failedJobs() : null
    const link = (extra: Record<string, string>) => {
      const p = new URLSearchParams({ from, to, ...(account ? { account } : {}), ...extra })
      return `/audit/decisions?${p}`
    }
    const categories = Object.keys(CATEGORY_NAMES)
    const headline: [string, number, string][] = [
      ['Comments received', total('received'), link({})],
      ['Hidden automatically', total('hiddenAutomatically'), link({ outcome: 'act' })],
      ['Sent for review', total('sentForReview'), link({ outcome: 'review' })],
      ['Decided by people', total('decidedByPeople'), link({ by: 'human' })],
      ['Waiting for review now', total('waiting'), '/audit/queue'],
    ]
    const body = html`${errorSummary(problems)}
<form method="get" action="/audit" class="wg-picker" id="picker">
${inputField({ name: 'from', label: 'From', value: from, type: 'date' })}
${inputField({ name: 'to', label: 'To', value: to, type: 'date' })}
${selectField({ name: 'account', label: 'Account', value: account, options: accounts.map((a) => [a.id, `${a.name} (${platformName(a.platform)})`]), anyLabel: scope.all ? 'All accounts' : 'All my accounts' })}
<button type="submit" class="govuk-button govuk-!-margin-bottom-0">Show</button>
</form>
<p class="govuk-body" id="range">${longDay(from)} to ${longDay(to)}, ${account ? names.get(account) : scope.all ? 'all accounts' : accounts.map((a) => a.name).join(', ')}. Times are UK time.</p>
<div class="wg-headline" id="headline">${headline.map(
      ([label, n, href]) =>
        html`<a class="wg-headline__item govuk-link" href="${href}"><span class="wg-headline__number">${n.toLocaleString('en-GB')}</span><span class="wg-headline__label">${label}</span></a>`,
    )}</div>
<div class="wg-charts">
${dayBars({
  id: 'by-category',
  title: 'Flagged comments per day, by what they contained',
  days: o.days,
  series: categories.map((k, i) => ({
    key: k,
    label: categoryName(k),
    colour: PALETTE[i % PALETTE.length] as string,
  })),
  rows: o.byCategory,
  href: (day, key) => link({ from: day, to: day, category: key }),
  empty: 'Nothing was flagged in this period.',
})}
${dayBars({
  id: 'auto-human',
  title: 'Decisions per day: automatic and by people',
  days: o.days,
  series: [
    { key: 'automatic', label: 'Automatic', colour: PALETTE[0] as string },
    { key: 'human', label: 'By people', colour: PALETTE[1] as string },
  ],
  rows: o.autoVsHuman,
  href: (day, key) => link({ from: day, to: day, by: key === 'automatic' ? 'policy' : 'human' }),
  empty: 'No decisions in this period.',
})}
${rankBars({
  id: 'waiting',
  title: 'Waiting for review now, by account',
  rows: o.openReviews.map((r) => ({
    label: names.get(r.accountId) ?? r.accountId,
    n: r.n,
    href: '/audit/queue',
  })),
  empty: 'Nothing is waiting for review.',
  colour: PALETTE[4],
})}
${rankBars({
  id: 'repeat',
  title: 'People with two or more flagged comments',
  rows: o.repeatOffenders.map((r) => ({
    label: `${r.name ?? `author ${r.authorId}`} on ${names.get(r.accountId) ?? r.accountId}`,
    n: r.n,
    href: `/audit/authors/${r.platform}/${encodeURIComponent(r.authorId)}`,
  })),
  empty: 'No one had two or more flagged comments in this period.',
  colour: PALETTE[1],
})}
</div>
<h2 class="govuk-heading-m">How quickly decisions were made</h2>
<table class="govuk-table" id="latency"><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header"></th><th scope="col" class="govuk-table__header">Typical (median)</th><th scope="col" class="govuk-table__header">Slowest 1 in 10</th></tr></thead>
<tbody class="govuk-table__body"><tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Automatic</th><td class="govuk-table__cell">${duration(o.latency.automaticMedianS)}</td><td class="govuk-table__cell">${duration(o.latency.automaticP90S)}</td></tr>
<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">By people</th><td class="govuk-table__cell">${duration(o.latency.humanMedianS)}</td><td class="govuk-table__cell">${duration(o.latency.humanP90S)}</td></tr></tbody></table>
${failed ? failedJobsCard(failed) : ''}`
    return c.html(page({ title: 'Overview', body }))
  })
  return app
}

/** Jobs the queues gave up on: a count and the latest few, so none goes unseen. */
function failedJobsCard(f: FailedJobs) {
  return html`<section id="failed-jobs"><h2 class="govuk-heading-m">Failed jobs: ${f.total}</h2>
${
  f.total === 0
    ? html`<p class="govuk-body">No job has failed.</p>`
    : html`<div class="wg-table-scroll"><table class="govuk-table"><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Queue</th><th scope="col" class="govuk-table__header">Job</th><th scope="col" class="govuk-table__header">Attempts</th><th scope="col" class="govuk-table__header">Failed at</th><th scope="col" class="govuk-table__header">Reason</th></tr></thead><tbody class="govuk-table__body">
${f.recent.map((j) => html`<tr class="govuk-table__row"><td class="govuk-table__cell">${j.queue}</td><td class="govuk-table__cell">${j.id}</td><td class="govuk-table__cell">${j.attempts}</td><td class="govuk-table__cell">${j.failedAt ?? ''}</td><td class="govuk-table__cell">${j.reason}</td></tr>`)}</tbody></table></div>`
}</section>`
}
