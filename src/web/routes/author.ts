/** GET /audit/authors/:platform/:authorId: everything one person wrote on the accounts in scope. */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { authorItems, authorSanctions } from '../../audit/index.js'
import { canSeeText, scopeFor } from '../access.js'
import { currentUser, requireUser } from '../auth.js'
import { page, timeTag } from '../layout.js'
import { highlighted, platformName, reasonSentences, stateTag } from '../plain.js'
import type { WebDeps, WebEnv } from '../types.js'
import { tableWrap } from '../views/components.js'

export function authorRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/audit/authors/:platform/:authorId', requireUser(), async (c) => {
    const user = currentUser(c)
    const platform = c.req.param('platform')
    const authorId = c.req.param('authorId').slice(0, 200)
    const scope = scopeFor(user)
    const ids = scope.all ? null : scope.accountIds
    const items =
      platform === 'facebook' || platform === 'x'
        ? await authorItems(deps.db, platform, authorId, { accountIds: ids })
        : []
    if (items.length === 0) {
      return c.html(
        page({
          title: 'Author not found',
          body: html`<p class="govuk-body">No comments by this author on the accounts you can see.</p>`,
        }),
        404,
      )
    }
    const sanctions = await authorSanctions(deps.db, platform, authorId, ids)
    const withText = canSeeText(user)
    const accounts = new Map(deps.accounts().map((a) => [a.id, a]))
    const name = (withText ? items.find((i) => i.authorName)?.authorName : null) ?? authorId
    const flagged = items.filter((i) => i.status.lastDecision && i.status.lastDecision !== 'allow')
    const hidden = items.filter((i) => i.status.visibility !== 'visible')
    const bans = sanctions.filter((s) => s.verdict === 'ban')
    const accountIds = [...new Set(items.map((i) => i.status.accountId))]
    const body = html`<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Comments</dt><dd class="govuk-summary-list__value">${items.length} on ${accountIds.map((id) => accounts.get(id)?.name ?? id).join(', ')}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Flagged by Wardguard</dt><dd class="govuk-summary-list__value" id="strikes">${flagged.length} (each one a strike on that account)</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Hidden or removed now</dt><dd class="govuk-summary-list__value">${hidden.length}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Bans and blocks</dt><dd class="govuk-summary-list__value" id="bans">${
      bans.length === 0
        ? 'None'
        : bans.map(
            (b) => html`${accounts.get(b.accountId)?.name ?? b.accountId} on ${timeTag(b.at)}<br>`,
          )
    }</dd></div>
</dl>
${
  user.role !== 'councillor'
    ? html`<p class="govuk-body">Evidence bundle of this author’s comments: ${accountIds.map(
        (id, i) =>
          html`${i ? ' · ' : ''}<a class="govuk-link" href="/audit/evidence?account=${encodeURIComponent(id)}&amp;author=${encodeURIComponent(authorId)}">on ${accounts.get(id)?.name ?? id}</a>`,
      )}</p>`
    : ''
}
<h2 class="govuk-heading-m">Their comments</h2>
${tableWrap(
  'Their comments',
  html`<table class="govuk-table wg-stack" id="author-comments"><thead class="govuk-table__head"><tr class="govuk-table__row">
<th scope="col" class="govuk-table__header">When</th><th scope="col" class="govuk-table__header">Comment</th><th scope="col" class="govuk-table__header">Why</th><th scope="col" class="govuk-table__header">Now</th></tr></thead>
<tbody class="govuk-table__body">${items.map(
    (
      i,
    ) => html`<tr class="govuk-table__row"><td class="govuk-table__cell" data-label="When">${timeTag(i.status.createdAt)}</td>
<td class="govuk-table__cell" data-label="Comment">${
      withText && i.text != null
        ? html`<p class="govuk-body-s wg-quote wg-comment">${highlighted(
            i.text,
            i.reasons.map((r) => r.match),
          )}</p>`
        : html`<p class="govuk-body-s wg-muted">Text not shown</p>`
    }<p class="govuk-body-s govuk-!-margin-bottom-0">On ${accounts.get(i.status.accountId)?.name ?? i.status.accountId} · <a class="govuk-link" href="/audit/comments/${encodeURIComponent(i.status.subjectKey)}">Open</a></p></td>
<td class="govuk-table__cell" data-label="Why">${reasonSentences(withText ? i.reasons : [], i.status.categories).map((r) => html`<p class="govuk-body-s">${r}</p>`)}</td>
<td class="govuk-table__cell" data-label="Now">${stateTag(i.status)}</td></tr>`,
  )}</tbody></table>`,
)}`
    return c.html(page({ title: name, caption: `Author on ${platformName(platform)}`, body }))
  })
  return app
}
