/** "Where the policy and your moderators disagree": the page's HTML. */
import { html } from 'hono/html'
import type { Disagreement } from '../../audit/index.js'
import type { Patterns } from '../disagreement-patterns.js'
import { formatTime, type Html } from '../layout.js'

export function disagreementsView(opts: {
  days: number
  resolved: number
  patterns: Patterns
  items: Disagreement[]
  withText: boolean
}): Html {
  const { patterns: p, items } = opts
  const counts = (list: { key: string; n: number }[], id: string, label: string) =>
    list.length === 0
      ? ''
      : html`<div class="card"><h3 class="govuk-heading-s">${label}</h3><table class="govuk-table" id="${id}"><tbody>${list.map(
          (c) => html`<tr><td>${c.key}</td><td>${c.n}</td></tr>`,
        )}</tbody></table></div>`
  return html`<form class="filters" method="get" action="/audit/disagreements">
<label>Over the last<select class="govuk-select" name="days">${[7, 30, 90, 365].map(
    (d) => html`<option value="${d}" ${d === opts.days ? 'selected' : ''}>${d} days</option>`,
  )}</select></label><button class="govuk-button" type="submit">Show</button></form>
<p class="govuk-body" id="summary">In the last ${opts.days} days your moderators made ${opts.resolved} review decisions.
<strong>${p.kept}</strong> kept a comment the policy had hidden, and <strong>${p.removed}</strong> removed a comment the
policy had allowed and someone sent to review by hand.</p>
<p class="govuk-body">Each of these is a place where Wardguard and your team see a comment differently. For each pattern below, decide who is right:
if your moderators are, <strong>change the policy</strong> (then check the change with <code>wardguard policy diff</code>) or
<strong>retrain</strong> with their decisions (<code>wardguard train --with-decisions</code>); if the policy is, <strong>brief your moderators</strong>.</p>
${
  items.length === 0
    ? html`<p class="govuk-body" id="none">No disagreements in this period.</p>`
    : html`<h2 class="govuk-heading-m">Top patterns</h2>
<div class="charts">
<div class="card"><h3 class="govuk-heading-s">By category</h3><table class="govuk-table" id="by-category"><thead><tr><th>Category</th><th>Kept after a policy hide</th><th>Removed after a policy allow</th></tr></thead><tbody>
${p.byCategory.map((c) => html`<tr><td>${c.key}</td><td>${c.kept}</td><td>${c.removed}</td></tr>`)}
</tbody></table></div>
${counts(p.byRule, 'by-rule', 'Rules whose hides were kept up')}
${counts(p.phrases, 'phrases', 'Words that recur in these comments')}
${counts(p.byModerator, 'by-moderator', 'By moderator')}
${counts(p.byAccount, 'by-account', 'By account')}
</div>
<h2 class="govuk-heading-m">The comments</h2>
<table class="govuk-table" id="disagreements"><thead><tr><th>When</th><th>What happened</th><th>Category</th><th>Moderator's explanation</th>${opts.withText ? html`<th>Comment</th>` : ''}<th></th></tr></thead><tbody>
${items.map(
  (d) => html`<tr data-kind="${d.kind}"><td>${formatTime(d.at)}</td>
<td>${d.kind === 'kept_after_hide' ? 'Policy hid it; moderator kept it' : `Policy allowed it; moderator chose ${d.verdict}`}</td>
<td>${d.categories.join(', ')}</td><td>${d.explanation ?? ''}</td>
${opts.withText ? html`<td>${d.text ?? html`<span class="muted">purged by retention</span>`}</td>` : ''}
<td><a href="/audit/comments/${encodeURIComponent(d.subjectKey)}">history</a></td></tr>`,
)}
</tbody></table>`
}`
}
