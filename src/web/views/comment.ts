/** One comment: where it stands, what it said, why it was flagged, its history as a timeline. */
import { html } from 'hono/html'
import type { AuditEvent, CommentSnapshot, SubjectStatus } from '../../audit/index.js'
import { type Html, safeUrl, timeTag } from '../layout.js'
import {
  highlighted,
  type NameOf,
  outcomeOf,
  platformName,
  reasonsBlock,
  stateTag,
} from '../plain.js'

const TITLES: Partial<Record<AuditEvent['type'], string>> = {
  'comment.received': 'Comment received',
  'comment.edited': 'Edited by its author',
  'action.requested': 'Change on the platform asked for',
  'action.applied': 'Change made on the platform',
  'action.failed': 'Change on the platform failed',
  'action.parked': 'Waiting: the account’s access token needs attention',
  'action.cancelled': 'Change on the platform cancelled',
  'review.requested': 'Sent for review',
  'review.posted': 'Posted to Slack for review',
  'comment.removed_on_platform': 'Removed on the platform',
  'comment.hidden_on_platform': 'Hidden on the platform',
  'comment.unhidden_on_platform': 'Shown again on the platform',
  'retention.purged': 'Text removed under the retention policy',
  note: 'Note',
}

const ACTIONS: Record<string, string> = {
  hide: 'hide the comment',
  unhide: 'show the comment again',
  delete: 'delete the comment',
  ban: 'ban the author from the Page',
  block: 'block the author',
  mute: 'mute the author',
  reply: 'reply to the author with the explanation',
}

function title(e: AuditEvent, nameOf: NameOf): string {
  if (e.type === 'decision.made' || e.type === 'review.resolved' || e.type === 'review.escalated')
    return outcomeOf(e, nameOf).text
  const base = TITLES[e.type] ?? e.type
  const action = typeof e.meta.action === 'string' ? ACTIONS[e.meta.action] : undefined
  return action && e.type.startsWith('action.') ? `${base}: ${action}` : base
}

function who(e: AuditEvent, nameOf: NameOf): string {
  switch (e.actor.kind) {
    case 'policy':
      return 'Wardguard (automatically)'
    case 'moderator':
      return `${nameOf(e.actor.id, e.meta.slackUserName)}${e.tool?.name === 'web' ? ' (on the web)' : e.tool?.name === 'slack' ? ' (in Slack)' : ''}`
    case 'platform':
      return platformName(e.platform)
    default:
      return 'Wardguard'
  }
}

export function commentSummary(opts: {
  first: AuditEvent
  status: SubjectStatus | null
  snapshot: CommentSnapshot | null
  accountName: string
  withText: boolean
}): Html {
  const { first, status, snapshot } = opts
  const author = (opts.withText ? snapshot?.authorName : null) ?? first.authorId ?? 'unknown'
  const link = safeUrl(snapshot?.permalink)
  return html`<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Now</dt><dd class="govuk-summary-list__value">${stateTag(status)}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Account</dt><dd class="govuk-summary-list__value">${opts.accountName} on ${platformName(first.platform)}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Author</dt><dd class="govuk-summary-list__value">${
    first.authorId && first.accountId
      ? html`<a class="govuk-link" href="/audit/authors/${first.platform}/${encodeURIComponent(first.authorId)}">${author}</a>`
      : author
  }</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Received</dt><dd class="govuk-summary-list__value">${timeTag(first.createdAt)}</dd></div>
${link ? html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">On the platform</dt><dd class="govuk-summary-list__value"><a class="govuk-link" href="${link}" rel="noreferrer">Open the comment on ${platformName(first.platform)}</a></dd></div>` : ''}
</dl>`
}

export function commentText(opts: { snapshot: CommentSnapshot | null; withText: boolean }): Html {
  const s = opts.snapshot
  if (!opts.withText)
    return html`<p class="govuk-body wg-muted">You have chosen not to see comment text (Settings).</p>`
  if (s?.text != null)
    return html`<blockquote class="govuk-inset-text wg-comment" id="comment-text">${highlighted(
      s.text,
      s.reasons.map((r) => r.match),
    )}</blockquote>`
  if (s?.purgedAt)
    return html`<p id="comment-text" class="govuk-body wg-muted">Text purged by retention on ${s.purgedAt.slice(0, 10)} (${s.purgeReason ?? ''}).</p>`
  return html`<p id="comment-text" class="govuk-body wg-muted">No text was recorded.</p>`
}

export function commentReasons(opts: {
  snapshot: CommentSnapshot | null
  categories: string[]
  withText: boolean
}): Html {
  return reasonsBlock(opts.withText ? (opts.snapshot?.reasons ?? []) : [], opts.categories)
}

export function timeline(events: AuditEvent[], nameOf: NameOf): Html {
  return html`<div class="moj-timeline" id="history">${[...events].reverse().map(
    (e) => html`<div class="moj-timeline__item" data-type="${e.type}">
<div class="moj-timeline__header"><h3 class="moj-timeline__title">${title(e, nameOf)}</h3><p class="moj-timeline__byline">by ${who(e, nameOf)}</p></div>
<p class="moj-timeline__date">${timeTag(e.createdAt)}</p>
<div class="moj-timeline__description">${e.reason && e.type !== 'decision.made' ? html`<p class="govuk-body">“${e.reason}”</p>` : ''}${
      typeof e.meta.error === 'string' ? html`<p class="govuk-body">${e.meta.error}</p>` : ''
    }
<details class="govuk-details govuk-!-margin-bottom-0"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Technical details</span></summary>
<div class="govuk-details__text govuk-body-s">Event ${e.id}: <code>${e.type}</code> by <code>${e.actor.kind}: ${e.actor.id}</code>${e.ruleIds.length ? html`; rules <code>${e.ruleIds.join(', ')}</code>` : ''}${e.categories.length ? html`; categories ${e.categories.join(', ')}` : ''}${e.type === 'decision.made' && e.reason ? html`; ${e.reason}` : ''}</div></details></div>
</div>`,
  )}</div>`
}
