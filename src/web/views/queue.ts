/** The review queue: each waiting comment with what Slack's message shows, and its buttons. */
import { html } from 'hono/html'
import type { DeskItem, QueueSort } from '../../audit/index.js'
import { formatWait, verdictLabel } from '../../connectors/slack/format.js'
import { type Html, timeTag } from '../layout.js'
import { highlighted, platformName, reasonSentences } from '../plain.js'
import type { WebAccount } from '../types.js'
import { bulkActionBar, itemButtons } from './act-forms.js'
import { sortHeader, tableWrap } from './components.js'

export function queueTable(opts: {
  items: DeskItem[]
  accounts: Map<string, WebAccount>
  withText: boolean
  canDecide: (accountId: string) => boolean
  csrfToken: string
  back: string
  sort: QueueSort
  desc: boolean
  now: Date
}): Html {
  const anyDecidable = opts.items.some((i) => opts.canDecide(i.status.accountId))
  const h = (label: string, key: QueueSort) =>
    sortHeader({
      label,
      key,
      current: opts.sort,
      desc: opts.desc,
      href: (k, d) => `/audit/queue?sort=${k}&dir=${d ? 'desc' : 'asc'}`,
    })
  const rows = opts.items.map((item, i) => {
    const s = item.status
    const account = opts.accounts.get(s.accountId)
    const author = (opts.withText ? item.authorName : null) ?? s.authorId ?? 'unknown'
    const fired = opts.withText ? item.reasons : []
    const hidden = s.visibility === 'hidden'
    const about = `for the comment from ${author}`
    const urgent = item.urgent || s.categories.some((c) => c === 'threat' || c === 'safeguarding')
    return html`<tr class="govuk-table__row" data-subject="${s.subjectKey}">
${
  anyDecidable
    ? html`<td class="govuk-table__cell" data-label="Select">${
        opts.canDecide(s.accountId)
          ? html`<div class="govuk-checkboxes govuk-checkboxes--small moj-multi-select__checkbox"><div class="govuk-checkboxes__item">
<input type="checkbox" class="govuk-checkboxes__input" id="q-${i}" name="subject" value="${s.subjectKey}|${item.lastEventId}" form="bulk">
<label class="govuk-label govuk-checkboxes__label" for="q-${i}"><span class="govuk-visually-hidden">Select the comment from ${author}</span></label></div></div>`
          : ''
      }</td>`
    : ''
}
<td class="govuk-table__cell" data-label="Waiting">${urgent ? html`<strong class="govuk-tag govuk-tag--red">Urgent</strong><br>` : ''}${formatWait(opts.now.getTime() - Date.parse(s.createdAt))}<br><span class="govuk-body-s wg-muted">since ${timeTag(s.createdAt)}</span>${s.reviewState === 'escalated' ? html`<br><strong class="govuk-tag govuk-tag--purple">Escalated</strong>` : ''}</td>
<td class="govuk-table__cell" data-label="Comment">${
      opts.withText && item.text != null
        ? html`<p class="govuk-body wg-quote wg-comment">${highlighted(
            item.text,
            fired.map((r) => r.match),
          )}</p>`
        : html`<p class="govuk-body-s wg-muted">${item.purgedAt ? 'Text removed under the retention policy' : 'Text not shown'}</p>`
    }<p class="govuk-body-s govuk-!-margin-bottom-0">By ${
      s.authorId
        ? html`<a class="govuk-link" href="/audit/authors/${s.platform}/${encodeURIComponent(s.authorId)}">${author}</a>`
        : author
    } · ${hidden ? 'hidden now' : 'visible now'} · <a class="govuk-link" href="/audit/comments/${encodeURIComponent(s.subjectKey)}">Full history<span class="govuk-visually-hidden"> ${about}</span></a></p></td>
<td class="govuk-table__cell" data-label="Account">${account?.name ?? s.accountId}<br><span class="govuk-body-s wg-muted">${platformName(s.platform)}</span></td>
<td class="govuk-table__cell" data-label="Why">${reasonSentences(fired, s.categories).map((r) => html`<p class="govuk-body-s">${r}</p>`)}${
      item.suggested
        ? html`<p class="govuk-body-s"><strong>Suggested:</strong> ${verdictLabel(item.suggested as 'hide', { platform: s.platform as 'facebook', hidden })}</p>`
        : ''
    }</td>
<td class="govuk-table__cell" data-label="Decide">${
      opts.canDecide(s.accountId)
        ? itemButtons({
            item: {
              subjectKey: s.subjectKey,
              lastEventId: item.lastEventId,
              platform: s.platform as 'facebook' | 'x',
              hidden,
              deleted: s.visibility === 'deleted',
              inReview: true,
              suggested: item.suggested,
            },
            csrfToken: opts.csrfToken,
            back: opts.back,
            about,
          })
        : html`<span class="govuk-body-s wg-muted">Only this account’s moderators can decide.</span>`
    }</td></tr>`
  })
  return html`${anyDecidable ? bulkActionBar(opts) : ''}
${tableWrap(
  'Review queue',
  html`<table class="govuk-table wg-stack" id="queue"><caption class="govuk-table__caption govuk-visually-hidden">Comments waiting for review</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">${anyDecidable ? html`<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Select</span></th>` : ''}
${h('Waiting', 'waiting')}${h('Comment and author', 'author')}${h('Account', 'account')}<th scope="col" class="govuk-table__header">Why</th><th scope="col" class="govuk-table__header">Decide</th></tr></thead>
<tbody class="govuk-table__body">${rows}</tbody></table>`,
)}`
}
