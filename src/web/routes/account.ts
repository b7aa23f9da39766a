/** GET /audit/account/:id: one account for anyone who may see it: numbers, waiting items, connection. */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { accountNumbers, openReviewItems } from '../../audit/index.js'
import { canSeeAccount, canSeeText, scopeFor } from '../access.js'
import { accountRows } from '../account-rows.js'
import { canDecide } from '../act.js'
import { currentUser, nowOf, requireUser } from '../auth.js'
import { page } from '../layout.js'
import { platformName } from '../plain.js'
import type { WebDeps, WebEnv } from '../types.js'
import { queueTable } from '../views/queue.js'

export function accountPageRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/audit/account/:id', requireUser(), async (c) => {
    const user = currentUser(c)
    const id = c.req.param('id')
    const account = deps.accounts().find((a) => a.id === id)
    if (!account || !canSeeAccount(scopeFor(user), id)) {
      return c.html(
        page({
          title: 'Account not found',
          body: html`<p class="govuk-body">There is no account ${id} that you may see.</p>`,
        }),
        404,
      )
    }
    const now = nowOf(deps)
    const [n] = await accountNumbers(deps.db, {
      accountIds: [id],
      from: new Date(now.getTime() - 30 * 86_400_000).toISOString(),
      to: now.toISOString(),
    })
    const items = await openReviewItems(deps.db, { accountIds: [id] })
    const health = deps.onboarding
      ? (await accountRows(deps.onboarding, now)).find((r) => r.account.id === id)?.health
      : undefined
    const decisions = (extra: string) =>
      `/audit/decisions?account=${encodeURIComponent(id)}${extra}`
    const cells: [string, number, string][] = [
      ['Comments in the last 30 days', n?.received ?? 0, decisions('&by=policy')],
      ['Hidden automatically', n?.hiddenAutomatically ?? 0, decisions('&outcome=act')],
      ['Sent for review', n?.sentForReview ?? 0, decisions('&outcome=review')],
      ['Decided by people', n?.decidedByPeople ?? 0, decisions('&by=human')],
    ]
    const body = html`<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Owner</dt><dd class="govuk-summary-list__value">${account.ownerName}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Connection</dt><dd class="govuk-summary-list__value" id="health">${health?.words ?? 'Not known here'}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Policy</dt><dd class="govuk-summary-list__value"><a class="govuk-link" href="/policy/${id}">The rules this account applies</a></dd></div>
</dl>
<div class="wg-headline">${cells.map(([label, v, href]) => html`<a class="wg-headline__item govuk-link" href="${href}"><span class="wg-headline__number">${v}</span><span class="wg-headline__label">${label}</span></a>`)}</div>
<h2 class="govuk-heading-m" id="waiting">Waiting for review (${items.length})</h2>
${
  items.length === 0
    ? html`<p class="govuk-body">Nothing is waiting.</p>`
    : queueTable({
        items,
        accounts: new Map([[id, account]]),
        withText: canSeeText(user),
        canDecide: (accountId) => canDecide(user, deps, accountId),
        csrfToken: c.get('session')?.csrfToken ?? '',
        back: `/audit/account/${id}`,
        sort: 'waiting',
        desc: false,
        now,
      })
}`
    return c.html(
      page({ title: account.name, caption: `${platformName(account.platform)} account`, body }),
    )
  })
  return app
}
