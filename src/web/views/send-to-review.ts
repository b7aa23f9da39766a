/** "Send to review": a comment the policy allowed goes to the moderators in Slack, by hand. */
import { html } from 'hono/html'
import { CATEGORIES } from '../../moderation/index.js'
import { csrfField, type Html } from '../layout.js'

const LABELS: Record<(typeof CATEGORIES)[number], string> = {
  profanity: 'Obscene or strongly profane language',
  hate: 'Hate against a protected characteristic',
  threat: 'A threat, incitement or intimidation',
  harassment: 'Insults or bullying aimed at a person',
  defamation: 'An allegation of crime or wrongdoing',
  personal_data: "Someone's personal details",
  sub_judice: 'Comment on a live court case',
  spam: 'Spam or a scam',
  safeguarding: 'Someone may be at risk',
}

export function sendToReviewForm(subjectKey: string, csrf: string): Html {
  return html`<h2 class="govuk-heading-m">Send to review</h2>
<p class="govuk-body">The policy left this comment up. If you think it breaks the guidelines, send it to your moderators: they decide in Slack,
and their decision is recorded here (and, if they remove it, counted as a place where the policy and your team disagree).</p>
<form class="stack" method="post" action="/audit/comments/${encodeURIComponent(subjectKey)}/review">${csrfField(csrf)}
<label>What it breaks<select class="govuk-select" name="category" required>${CATEGORIES.map((c) => html`<option value="${c}">${LABELS[c]}</option>`)}</select></label>
<label>Why (the moderators see this)<input class="govuk-input" name="reason" required minlength="6" maxlength="500"></label>
<button class="govuk-button" type="submit">Send to review</button></form>`
}
