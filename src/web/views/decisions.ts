/** The decisions page: a filter panel (MOJ filter layout) and a table a comms officer can read. */
import { html, raw } from 'hono/html'
import { CATEGORIES } from '../../moderation/index.js'
import type { DecisionPage, DecisionQuery } from '../decision-query.js'
import { type Html, timeTag } from '../layout.js'
import {
  categoryName,
  highlighted,
  type NameOf,
  outcomeTag,
  platformName,
  reasonSentences,
  stateTag,
} from '../plain.js'
import type { WebAccount } from '../types.js'
import { inputField, selectField, sortHeader, tableWrap } from './components.js'

export const OUTCOME_LABELS: [string, string][] = [
  ['act', 'Hidden automatically'],
  ['review', 'Sent for review'],
  ['allow', 'Allowed'],
  ['remove', 'Removed by a person'],
  ['hide', 'Hidden by a person'],
  ['keep', 'Kept by a person'],
  ['ban', 'Author banned or blocked'],
  ['escalate', 'Escalated'],
]

export const DECISION_SORTS = ['when', 'account', 'author', 'outcome', 'state'] as const
export type DecisionSort = (typeof DECISION_SORTS)[number]

export function filterPanel(opts: {
  q: DecisionQuery
  accounts: WebAccount[]
  moderators: [string, string][]
  withText: boolean
}): Html {
  const { q } = opts
  return html`<div class="moj-filter"><div class="moj-filter__header"><div class="moj-filter__header-title"><h2 class="govuk-heading-m">Filter</h2></div></div>
<div class="moj-filter__content"><div class="moj-filter__options">
<form class="filters" method="get" action="/audit/decisions">
${selectField({ name: 'account', label: 'Account', value: q.account, options: opts.accounts.map((a) => [a.id, `${a.name} (${platformName(a.platform)})`]), anyLabel: 'All accounts' })}
${selectField({ name: 'outcome', label: 'Outcome', value: q.outcome, options: OUTCOME_LABELS })}
${selectField({ name: 'category', label: 'Category', value: q.category, options: CATEGORIES.map((c) => [c, categoryName(c)]) })}
${selectField({
  name: 'by',
  label: 'Decided',
  value: q.by,
  options: [
    ['policy', 'Automatically'],
    ['human', 'By a person'],
  ],
  anyLabel: 'Either',
})}
${selectField({ name: 'admin', label: 'Moderator', value: q.admin, options: opts.moderators, anyLabel: 'Anyone' })}
${inputField({ name: 'from', label: 'From', value: q.from, type: 'date' })}
${inputField({ name: 'to', label: 'To', value: q.to, type: 'date' })}
${opts.withText ? inputField({ name: 'q', label: 'Words in the comment', value: q.q }) : ''}
<div class="govuk-button-group"><button type="submit" class="govuk-button" data-module="govuk-button">Apply filters</button>
<a class="govuk-link" href="/audit/decisions">Clear filters</a></div>
</form></div></div></div>`
}

export function decisionsTable(opts: {
  result: DecisionPage
  names: Map<string, WebAccount>
  nameOf: NameOf
  withText: boolean
  selectable: boolean
  sort: DecisionSort
  desc: boolean
  sortHref: (key: string, desc: boolean) => string
}): Html {
  const { result, names, nameOf, withText } = opts
  const h = (label: string, key: DecisionSort) =>
    sortHeader({ label, key, current: opts.sort, desc: opts.desc, href: opts.sortHref })
  const rows = result.rows.map(({ event: e, snapshot, status }) => {
    const account = names.get(e.accountId ?? '')
    const author = snapshot?.authorName ?? e.authorId ?? 'unknown'
    // @NOTE the matched words are the author's words: shown only with the text
    const fired = withText ? (snapshot?.reasons ?? []) : []
    const matches = fired.map((r) => r.match)
    const reasons =
      e.type === 'decision.made'
        ? reasonSentences(
            fired.filter((r) => e.categories.includes(r.category)),
            e.categories,
          )
        : []
    const commentLink = `/audit/comments/${encodeURIComponent(e.subjectKey)}`
    return html`<tr class="govuk-table__row" data-subject="${e.subjectKey}">
${
  opts.selectable && status && status.visibility !== 'deleted'
    ? html`<td class="govuk-table__cell" data-label="Select"><div class="govuk-checkboxes govuk-checkboxes--small moj-multi-select__checkbox"><div class="govuk-checkboxes__item">
<input type="checkbox" class="govuk-checkboxes__input" id="sel-${e.id}" name="subject" value="${e.subjectKey}|${status.lastEventId}" form="bulk">
<label class="govuk-label govuk-checkboxes__label" for="sel-${e.id}"><span class="govuk-visually-hidden">Select the comment from ${author}</span></label></div></div></td>`
    : opts.selectable
      ? html`<td class="govuk-table__cell"></td>`
      : ''
}
<td class="govuk-table__cell" data-label="When">${timeTag(e.createdAt)}</td>
<td class="govuk-table__cell" data-label="Comment">${
      withText && snapshot?.text != null
        ? html`<p class="govuk-body-s wg-quote wg-comment">${highlighted(snapshot.text.length > 400 ? `${snapshot.text.slice(0, 400)}…` : snapshot.text, matches)}</p>`
        : html`<p class="govuk-body-s wg-muted">${withText && snapshot?.purgedAt ? 'Text removed under the retention policy' : 'Text not shown'}</p>`
    }<p class="govuk-body-s govuk-!-margin-bottom-0">${
      e.authorId
        ? html`<a class="govuk-link" href="/audit/authors/${e.platform}/${encodeURIComponent(e.authorId)}">${author}</a>`
        : author
    } on ${account?.name ?? e.accountId} (${platformName(e.platform)})</p></td>
<td class="govuk-table__cell" data-label="Outcome">${outcomeTag(e, nameOf)}${
      e.type !== 'decision.made' && e.reason
        ? html`<p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">“${e.reason}”</p>`
        : ''
    }</td>
<td class="govuk-table__cell" data-label="Why">${reasons.length ? html`<ul class="govuk-list govuk-body-s">${reasons.map((r) => html`<li>${r}</li>`)}</ul>` : html`<span class="wg-muted govuk-body-s">${e.type === 'decision.made' ? 'No rule fired' : ''}</span>`}</td>
<td class="govuk-table__cell" data-label="Now">${stateTag(status)}</td>
<td class="govuk-table__cell" data-label="Details"><a class="govuk-link" href="${commentLink}">Open<span class="govuk-visually-hidden"> the comment from ${author}</span></a></td>
</tr>`
  })
  const empty = html`<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="8">No decisions match these filters.</td></tr>`
  return tableWrap(
    'Decisions',
    html`<table class="govuk-table wg-stack" id="decisions"><caption class="govuk-table__caption govuk-visually-hidden">Decisions, newest first</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">${opts.selectable ? html`<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Select</span></th>` : ''}
${h('When', 'when')}<th scope="col" class="govuk-table__header">Comment</th>${h('Outcome', 'outcome')}<th scope="col" class="govuk-table__header">Why</th>${h('Now', 'state')}<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Details</span></th></tr></thead>
<tbody class="govuk-table__body">${result.rows.length === 0 ? empty : raw('')}${rows}</tbody></table>`,
  )
}
