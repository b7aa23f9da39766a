/**
 * The system's records in words a councillor uses: outcomes ("Hidden automatically", "Removed by
 * Priya Patel"), reasons as sentences, the matched words marked in the comment, and a comment's
 * state now. Rule ids stay in the records and appear only inside a details disclosure.
 */
import { html, raw } from 'hono/html'
import type { AuditEvent, SnapshotReason, SubjectStatus } from '../audit/index.js'
import type { Html } from './layout.js'

/** What each category means, as the end of "This comment …". */
export const CATEGORY_SENTENCES: Record<string, string> = {
  profanity: 'uses swearing or obscene words',
  hate: 'attacks people for who they are (race, religion, sexuality, disability or similar)',
  threat: 'threatens violence or harm',
  harassment: 'insults or harasses a person',
  defamation: 'makes an allegation against a named person that could be defamatory',
  personal_data: 'shares someone’s personal details',
  sub_judice: 'comments on a live court case',
  spam: 'is spam or a scam',
  safeguarding: 'suggests someone may be at risk of harm',
}

/** Short names for filters, tags and chart legends. */
export const CATEGORY_NAMES: Record<string, string> = {
  profanity: 'Swearing',
  hate: 'Hate',
  threat: 'Threats',
  harassment: 'Harassment',
  defamation: 'Possible defamation',
  personal_data: 'Personal details',
  sub_judice: 'Live court case',
  spam: 'Spam',
  safeguarding: 'Safeguarding',
}

export const categoryName = (c: string) => CATEGORY_NAMES[c] ?? c.replaceAll('_', ' ')

/** Who a moderator id is: their web name, the name Slack gave, or the id itself. */
export type NameOf = (actorId: string, slackName?: unknown) => string

export function nameResolver(names: Map<string, string>): NameOf {
  return (actorId, slackName) => {
    const id = actorId.replace(/^slack\//, '')
    return names.get(id) ?? (typeof slackName === 'string' && slackName ? slackName : null) ?? id
  }
}

const VERDICT_DONE: Record<string, (fb: boolean) => string> = {
  remove: (fb) => (fb ? 'Removed' : 'Removed (hidden on X)'),
  hide: () => 'Hidden',
  keep: () => 'Kept',
  ban: (fb) => (fb ? 'Author banned' : 'Author blocked'),
  escalate: () => 'Escalated',
}

export type OutcomeTone = 'hidden' | 'review' | 'allowed' | 'removed' | 'kept' | 'escalated'

/** One decision as a phrase and a tone for its tag. */
export function outcomeOf(e: AuditEvent, nameOf: NameOf): { text: string; tone: OutcomeTone } {
  if (e.type === 'decision.made') {
    const d = e.meta.decision
    if (d === 'act') return { text: 'Hidden automatically', tone: 'hidden' }
    if (d === 'review') return { text: 'Sent for review', tone: 'review' }
    return { text: 'Allowed', tone: 'allowed' }
  }
  const verdict = String(e.meta.verdict ?? (e.type === 'review.escalated' ? 'escalate' : ''))
  const fb = e.platform === 'facebook'
  const done = VERDICT_DONE[verdict]?.(fb) ?? 'Decided'
  const by = nameOf(e.actor.id, e.meta.slackUserName)
  const tone: OutcomeTone =
    verdict === 'keep'
      ? 'kept'
      : verdict === 'escalate'
        ? 'escalated'
        : verdict === 'hide'
          ? 'hidden'
          : 'removed'
  return { text: `${done} by ${by}`, tone }
}

export const TONE_TAG: Record<OutcomeTone, string> = {
  hidden: 'govuk-tag--orange',
  review: 'govuk-tag--yellow',
  allowed: 'govuk-tag--green',
  removed: 'govuk-tag--red',
  kept: 'govuk-tag--blue',
  escalated: 'govuk-tag--purple',
}

export function outcomeTag(e: AuditEvent, nameOf: NameOf): Html {
  const o = outcomeOf(e, nameOf)
  return html`<strong class="govuk-tag ${TONE_TAG[o.tone]}">${o.text}</strong>`
}

/** Where the comment stands now on the platform, and with review. */
export function stateOf(s: SubjectStatus | undefined | null): { text: string; tag: string } {
  if (!s) return { text: 'Unknown', tag: 'govuk-tag--grey' }
  const platform = s.platform === 'facebook' ? 'Facebook' : 'X'
  if (s.visibility === 'deleted') return { text: `Deleted from ${platform}`, tag: 'govuk-tag--red' }
  const waiting = s.reviewState === 'open' || s.reviewState === 'escalated'
  if (s.visibility === 'hidden')
    return {
      text: waiting ? 'Hidden, waiting for review' : 'Hidden',
      tag: 'govuk-tag--orange',
    }
  return {
    text: waiting ? 'Visible, waiting for review' : 'Visible',
    tag: waiting ? 'govuk-tag--yellow' : 'govuk-tag--green',
  }
}

export function stateTag(s: SubjectStatus | undefined | null): Html {
  const st = stateOf(s)
  return html`<strong class="govuk-tag ${st.tag}">${st.text}</strong>`
}

/**
 * Each category that fired as one sentence, with the words that fired it. Several rules of one
 * category make one sentence.
 */
export function reasonSentences(reasons: SnapshotReason[], categories: string[] = []): string[] {
  const byCategory = new Map<string, Set<string>>()
  for (const r of reasons) {
    const words = byCategory.get(r.category) ?? new Set<string>()
    if (r.match.trim()) words.add(r.match.trim())
    byCategory.set(r.category, words)
  }
  for (const c of categories) if (!byCategory.has(c)) byCategory.set(c, new Set())
  return [...byCategory].map(([category, words]) => {
    const what = CATEGORY_SENTENCES[category] ?? `falls under “${category.replaceAll('_', ' ')}”`
    const quoted = [...words].slice(0, 5).map((w) => `“${w}”`)
    return quoted.length > 0 ? `It ${what}: ${quoted.join(', ')}.` : `It ${what}.`
  })
}

/** The reasons as sentences, with the rules behind them in a details disclosure. */
export function reasonsBlock(reasons: SnapshotReason[], categories: string[] = []): Html {
  const sentences = reasonSentences(reasons, categories)
  if (sentences.length === 0) return html`<p class="govuk-body">No rule fired.</p>`
  return html`<ul class="govuk-list govuk-list--bullet">${sentences.map((s) => html`<li>${s}</li>`)}</ul>
${
  reasons.length > 0
    ? html`<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Rules that fired</span></summary>
<div class="govuk-details__text"><ul class="govuk-list">${reasons.map((r) => html`<li><code>${r.rule}</code>: ${r.explanation}</li>`)}</ul></div></details>`
    : ''
}`
}

const escapeHtml = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')

/**
 * The comment with every matched word marked. Matching ignores case; overlapping matches merge.
 * @NOTE the text is escaped piece by piece: only our own <mark> tags are raw
 */
export function highlighted(text: string, matches: string[]): Html {
  const lower = text.toLowerCase()
  const spans: [number, number][] = []
  for (const m of new Set(matches.map((x) => x.trim().toLowerCase()).filter((x) => x.length > 0))) {
    let at = lower.indexOf(m)
    while (at >= 0 && spans.length < 200) {
      spans.push([at, at + m.length])
      at = lower.indexOf(m, at + m.length)
    }
  }
  spans.sort((a, b) => a[0] - b[0])
  const merged: [number, number][] = []
  for (const s of spans) {
    const last = merged.at(-1)
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1])
    else merged.push([...s])
  }
  let out = ''
  let pos = 0
  for (const [a, b] of merged) {
    out += `${escapeHtml(text.slice(pos, a))}<mark class="wg-match">${escapeHtml(text.slice(a, b))}</mark>`
    pos = b
  }
  out += escapeHtml(text.slice(pos))
  return raw(out)
}

export const platformName = (p: string) => (p === 'facebook' ? 'Facebook' : p === 'x' ? 'X' : p)
