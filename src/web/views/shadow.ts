/** /audit/shadow: candidates deciding beside the active engine, day by day, and the switch. */
import { html } from 'hono/html'
import type { AccountEngine, ShadowDay, ShadowDecisionRow, ShadowRun } from '../../audit/index.js'
import { csrfField, formatTime, type Html } from '../layout.js'

export type ShadowRunView = {
  run: ShadowRun
  accountName: string
  days: ShadowDay[]
  totals: Omit<ShadowDay, 'day'>
  changes: ShadowDecisionRow[]
  /** the account's engine now, when it was switched by a run */
  engine: AccountEngine | null
}

export function stateOf(run: ShadowRun, now: Date): string {
  if (run.state === 'running' && Date.parse(run.endsAt) <= now.getTime()) return 'ended'
  return run.state
}

export function shadowView(opts: {
  runs: ShadowRunView[]
  canSwitch: boolean
  csrf: string
  now: Date
  switched?: string
}): Html {
  return html`<p class="govuk-body">A candidate policy or model can run in <strong>shadow</strong> on an account: it decides every new comment
as well as the active one, but only the active one acts. Start one with <code>wardguard policy shadow start --account ID --policy NEW.yaml --days 14</code>
(check it on past comments first with <code>wardguard policy diff</code>). When the differences below look right, switch: one recorded action,
with your name and the differences you saw.</p>
${opts.switched ? html`<p id="switched" class="card">Switched. The account now runs the candidate; the switch is in the audit trail.</p>` : ''}
${opts.runs.length === 0 ? html`<p class="govuk-body" id="none">No shadow runs yet.</p>` : ''}
${opts.runs.map((v) => runView(v, opts))}`
}

function runView(v: ShadowRunView, opts: { canSwitch: boolean; csrf: string; now: Date }): Html {
  const { run, totals: t } = v
  const state = stateOf(run, opts.now)
  const switchedHere = v.engine?.runId === run.id
  return html`<section class="card" id="run-${run.id}" data-state="${state}">
<h2 class="govuk-heading-m">${v.accountName}: candidate ${run.candidateVersion}</h2>
<p class="govuk-body">Beside ${run.activeVersion}, from ${formatTime(run.startedAt)} to ${formatTime(run.endsAt)} (started by ${run.startedBy}).
State: <strong>${state}</strong>.${
    // @NOTE file paths on the server are for admins, who started the run from its shell
    opts.canSwitch
      ? html` Candidate: <code>${run.policyPath}</code>${run.modelPath ? html` with model <code>${run.modelPath}</code>` : ''}.`
      : ''
  }</p>
${
  switchedHere && v.engine
    ? html`<p class="switched-by">Switched by ${v.engine.switchedBy} on ${formatTime(v.engine.switchedAt)} (audit event ${v.engine.eventId}).</p>`
    : ''
}
<table class="govuk-table days"><thead><tr><th>Day</th><th>Comments</th><th>Decided differently</th><th>Hides gained</th><th>Hides lost</th><th>Reviews gained</th><th>Reviews lost</th></tr></thead><tbody>
${v.days.map(
  (d) =>
    html`<tr><td>${d.day}</td><td>${d.compared}</td><td>${d.changed}</td><td>${d.hidesGained}</td><td>${d.hidesLost}</td><td>${d.reviewsGained}</td><td>${d.reviewsLost}</td></tr>`,
)}
<tr class="total"><th>All days</th><th>${t.compared}</th><th>${t.changed}</th><th>${t.hidesGained}</th><th>${t.hidesLost}</th><th>${t.reviewsGained}</th><th>${t.reviewsLost}</th></tr>
</tbody></table>
${
  v.changes.length > 0
    ? html`<h3 class="govuk-heading-s">Comments decided differently</h3><table class="govuk-table changes"><thead><tr><th>When</th><th>Active engine</th><th>Candidate</th><th></th></tr></thead><tbody>
${v.changes.map(
  (
    c,
  ) => html`<tr><td>${formatTime(c.decidedAt)}</td><td>${c.activeAction} ${c.activeCategories.join(', ')}</td><td>${c.candidateAction} ${c.candidateCategories.join(', ')}</td>
<td><a href="/audit/comments/${encodeURIComponent(c.subjectKey)}">history</a></td></tr>`,
)}</tbody></table>`
    : ''
}
${
  opts.canSwitch && run.state !== 'switched'
    ? html`<form method="post" action="/audit/shadow/${run.id}/switch">${csrfField(opts.csrf)}
<input type="hidden" name="seen" value="${JSON.stringify(v.totals)}">
<p class="govuk-body">Switching makes ${v.accountName} act with the candidate from now on, with the differences above recorded as what you saw.</p>
<button class="govuk-button" type="submit">Switch ${v.accountName} to this candidate</button></form>`
    : ''
}
</section>`
}
