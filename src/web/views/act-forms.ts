/**
 * The buttons that decide: one row's (the same as Slack's), the bulk bar (one explanation for
 * every selected comment), and the "explain why" step that Slack shows as a modal.
 */
import { html, raw } from 'hono/html'
import { verdictLabel } from '../../connectors/slack/format.js'
import type { Verdict } from '../../connectors/slack/types.js'
import type { ActForm, ActResult } from '../act.js'
import { csrfField, type Html } from '../layout.js'
import { errorSummary, importantBanner, successBanner } from './components.js'

export { canDecideAny } from '../act.js'

const EXPLANATION_HINT =
  'Needed to remove a comment, ban its author or put a hidden comment back. It is kept with the decision and may be posted as a reply to the author.'

export type Actionable = {
  subjectKey: string
  lastEventId: string
  platform: 'facebook' | 'x'
  hidden: boolean
  deleted: boolean
  /** an open review: Slack's five buttons; otherwise the actions on any comment */
  inReview: boolean
  suggested?: string | null
}

/** The verdicts offered: Slack's for a review item; for any other comment, what makes sense now. */
export function verdictsFor(item: Actionable): Verdict[] {
  if (item.deleted) return []
  if (item.inReview) return ['remove', 'hide', 'keep', 'ban', 'escalate']
  return item.hidden ? ['keep', 'remove', 'ban'] : ['hide', 'remove', 'keep', 'ban']
}

/** A row's buttons: each submits at once; the server asks for an explanation when one is needed. */
export function itemButtons(opts: {
  item: Actionable
  csrfToken: string
  back: string
  /** who the buttons are about, for screen readers ("for the comment from …") */
  about: string
}): Html {
  const verdicts = verdictsFor(opts.item)
  if (verdicts.length === 0) return html``
  return html`<form method="post" action="/audit/act" class="wg-actions">${csrfField(opts.csrfToken)}
<input type="hidden" name="subject" value="${opts.item.subjectKey}|${opts.item.lastEventId}">
<input type="hidden" name="back" value="${opts.back}">
${verdicts.map((v) => {
  const label = verdictLabel(v, opts.item)
  const style =
    v === 'remove' || v === 'ban'
      ? ' govuk-button--warning'
      : v === opts.item.suggested
        ? ''
        : ' govuk-button--secondary'
  return html`<button type="submit" name="verdict" value="${v}" class="govuk-button${style}" data-module="govuk-button">${label}<span class="govuk-visually-hidden"> ${opts.about}</span></button>`
})}</form>`
}

/** Acting on many: the checked rows (form="bulk") and one explanation for all of them. */
export function bulkActionBar(opts: { csrfToken: string; back: string }): Html {
  return html`<details class="govuk-details" id="bulk-actions"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Act on the selected comments</span></summary>
<div class="govuk-details__text"><form id="bulk" method="post" action="/audit/act">${csrfField(opts.csrfToken)}
<input type="hidden" name="back" value="${opts.back}">
<p class="govuk-body">Tick the comments below, then choose what to do with all of them.</p>
<div class="govuk-form-group"><label class="govuk-label govuk-label--s" for="bulk-explanation">Explanation (one for all of them)</label>
<div class="govuk-hint" id="bulk-explanation-hint">${EXPLANATION_HINT}</div>
<textarea class="govuk-textarea" id="bulk-explanation" name="explanation" rows="3" maxlength="3000" aria-describedby="bulk-explanation-hint"></textarea></div>
<div class="govuk-button-group">
<button type="submit" name="verdict" value="hide" class="govuk-button govuk-button--secondary">Hide selected</button>
<button type="submit" name="verdict" value="keep" class="govuk-button govuk-button--secondary">Keep selected (unhide if hidden)</button>
<button type="submit" name="verdict" value="remove" class="govuk-button govuk-button--warning">Remove selected</button>
</div></form></div></details>`
}

/** The second step when a verdict needs words: Slack's modal, as a page. */
export function explainForm(opts: {
  form: ActForm
  csrfToken: string
  problem: string | null
  count: number
  platform: 'facebook' | 'x' | 'mixed'
}): Html {
  const v = opts.form.verdict
  const what =
    v === 'remove'
      ? opts.platform === 'x'
        ? 'X cannot delete replies to you, so they will be hidden.'
        : opts.platform === 'facebook'
          ? 'The comment will be deleted from Facebook.'
          : 'Facebook comments will be deleted; X replies hidden.'
      : v === 'ban'
        ? 'The author will be banned from the Page (blocked on X).'
        : v === 'keep'
          ? 'Hidden comments will be shown again.'
          : ''
  return html`${errorSummary(opts.problem ? [opts.problem] : [])}
<form method="post" action="/audit/act">${csrfField(opts.csrfToken)}
${opts.form.subject.map((s) => html`<input type="hidden" name="subject" value="${s.subjectKey}|${s.seenEventId}">`)}
<input type="hidden" name="verdict" value="${v}">
<input type="hidden" name="back" value="${opts.form.back ?? '/audit/queue'}">
<p class="govuk-body">${what} ${opts.count > 1 ? `This applies to ${opts.count} comments.` : ''}</p>
<div class="govuk-form-group${opts.problem ? ' govuk-form-group--error' : ''}"><label class="govuk-label govuk-label--m" for="explanation">Why?</label>
<div class="govuk-hint" id="explanation-hint">${EXPLANATION_HINT}</div>
${opts.problem ? html`<p class="govuk-error-message" id="explanation-error"><span class="govuk-visually-hidden">Error:</span> ${opts.problem}</p>` : ''}
<textarea class="govuk-textarea${opts.problem ? ' govuk-textarea--error' : ''}" id="explanation" name="explanation" rows="5" maxlength="3000" aria-describedby="explanation-hint${opts.problem ? ' explanation-error' : ''}"${raw(' autofocus')}>${opts.form.explanation ?? ''}</textarea></div>
<div class="govuk-button-group"><button type="submit" class="govuk-button${v === 'remove' || v === 'ban' ? ' govuk-button--warning' : ''}">Confirm</button>
<a class="govuk-link" href="${opts.form.back ?? '/audit/queue'}">Cancel</a></div>
</form>`
}

const DONE: Record<Verdict, string> = {
  remove: 'removed',
  hide: 'hidden',
  keep: 'kept',
  ban: 'banned',
  escalate: 'escalated',
}

/** Counts only travel in the address (never text), so a crafted link cannot put words here. */
export function resultQuery(verdict: Verdict, results: ActResult[]): string {
  const n = (s: ActResult['status']) => results.filter((r) => r.status === s).length
  const p = new URLSearchParams({
    acted: verdict,
    done: String(n('decided')),
    already: String(n('already_decided')),
    refused: String(n('not_allowed') + n('gone')),
    failed: String(n('failed')),
  })
  return p.toString()
}

export function resultBanner(q: Record<string, string>): Html {
  const verdict = q.acted as Verdict | undefined
  if (!verdict || !(verdict in DONE)) return html``
  const num = (k: string) => Math.max(0, Math.min(10_000, Number.parseInt(q[k] ?? '0', 10) || 0))
  const done = num('done')
  const notes: string[] = []
  if (num('already'))
    notes.push(
      `${num('already')} had already been decided by someone else (in Slack or here); their decision stands.`,
    )
  if (num('refused')) notes.push(`${num('refused')} could not be decided by you.`)
  if (num('failed')) notes.push(`${num('failed')} could not be recorded: please try again.`)
  const heading =
    done > 0
      ? `${done} comment${done === 1 ? '' : 's'} ${DONE[verdict]}. The platform is being updated now.`
      : 'Nothing was changed.'
  return done > 0 && notes.length === 0
    ? successBanner(heading)
    : importantBanner(heading, notes.join(' '))
}
