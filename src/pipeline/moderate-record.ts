import type { AuditEvent, AuditWrite, BulkEventInput, Recorded } from '../audit/index.js'
import type { Decision } from '../moderation/index.js'
import type { AccountRuntime } from './accounts.js'
import type { CommentEnvelope } from './messages.js'

/** One comment judged, ready to be recorded. */
export type Judged = {
  comment: CommentEnvelope
  runtime: AccountRuntime
  decision: Decision
  strikes: number
  plan: FollowUpPlan
  /** issue 17: what a candidate in shadow decided (recorded beside, never acted on) */
  shadow?: { runId: string; decision: Decision }
}

export type FollowUpPlan = {
  hide: boolean
  review: boolean
  suggested: 'remove' | 'hide' | 'keep' | 'ban' | null
}

export type RecordedDecision = {
  created: boolean
  hide: AuditEvent | null
  review: AuditEvent | null
  /** threats and safeguarding (the policy's `escalate`): passed to the safety contact at once */
  escalated: AuditEvent | null
}

/** What the decision asks for. Threats and repeat offenders are hidden AND put in front of a person. */
export function planFollowUps(decision: Decision): FollowUpPlan {
  const hide = decision.action === 'hide'
  const review = decision.reviewRequired
  const suggested = decision.suggestBan ? 'ban' : hide ? 'remove' : review ? 'hide' : null
  return { hide, review, suggested }
}

/**
 * The facts of a job's judged comments as one audit write: the text snapshots, then per comment
 * comment.received (or .edited), decision.made, then action.requested and/or review.requested.
 * Dedupe keys come from the comment and its content hash (the follow-ups': from the id of their
 * decision.made, whichever call recorded it), so a second delivery records nothing. `read` turns
 * the write's results into one RecordedDecision per judged comment.
 */
export function decisionsWrite(
  judged: Judged[],
  deliveryKey: string,
  at: string,
): { write: AuditWrite; read: (results: Recorded[]) => RecordedDecision[] } {
  const snapshots = judged.map(({ comment: c, decision }) => ({
    subjectKey: c.subjectKey,
    authorId: c.author.id,
    authorName: c.author.name,
    text: c.text,
    permalink: c.permalink,
    contentHash: c.contentHash,
    reasons: decision.reasons,
    capturedAt: at,
  }))
  const events: BulkEventInput[] = []
  const slots = judged.map((j) => {
    const decided = events.length + 1
    events.push(...factInputs(j, deliveryKey, events.length))
    const hide = j.plan.hide ? events.length : null
    const review = j.plan.review ? events.length + (hide === null ? 0 : 1) : null
    const escalated = escalates(j) && review !== null ? review + 1 : null
    events.push(...followUpInputs(j, decided))
    return { decided, hide, review, escalated }
  })
  const read = (results: Recorded[]) =>
    slots.map(({ decided, hide, review, escalated }) => ({
      created: (results[decided] as Recorded).created,
      hide: hide === null ? null : (results[hide] as Recorded).event,
      review: review === null ? null : (results[review] as Recorded).event,
      escalated: escalated === null ? null : (results[escalated] as Recorded).event,
    }))
  return { write: { snapshots, events }, read }
}

/** comment.received (or .edited) at index `at`, and decision.made caused by it at `at + 1`. */
function factInputs(j: Judged, deliveryKey: string, at: number): BulkEventInput[] {
  const { comment: c, decision } = j
  const base = subjectFields(c, j.runtime)
  return [
    {
      ...base,
      type: c.verb === 'edited' ? 'comment.edited' : 'comment.received',
      actor: { kind: 'platform', id: c.platform },
      // @NOTE postedAt is the platform's own time: the audit's "time to decision" starts there
      meta: {
        contentHash: c.contentHash,
        deliveryKey,
        source: c.source,
        postedAt: isoOrNull(c.createdAt),
        // @NOTE the author's text had characters Postgres cannot keep; the snapshot has U+FFFD
        ...(c.repaired?.length ? { textRepaired: c.repaired } : {}),
      },
      dedupeKey: `${c.subjectKey}/${c.contentHash}/received`,
    },
    {
      ...base,
      type: 'decision.made',
      actor: policyActor(decision),
      tool: { name: 'wardguard-policy', version: decision.policyVersion },
      ruleIds: ruleIdsOf(decision),
      categories: decision.categories,
      reason: summarise(decision),
      meta: {
        decision: decision.action === 'hide' ? 'act' : decision.action,
        action: decision.action === 'hide' ? 'hide' : null,
        strikes: j.strikes,
        escalate: decision.escalate,
        urgent: decision.urgent,
        suggestBan: decision.suggestBan,
        modes: decision.modes,
      },
      causedBy: { index: at },
      dedupeKey: `${c.subjectKey}/${c.contentHash}/decided`,
    },
  ]
}

/** action.requested when the plan hides, then review.requested when it reviews. */
function followUpInputs(j: Judged, decided: number): BulkEventInput[] {
  const { comment: c, decision, plan } = j
  const base = subjectFields(c, j.runtime)
  const inputs: BulkEventInput[] = []
  if (plan.hide) {
    inputs.push({
      ...base,
      type: 'action.requested',
      actor: policyActor(decision),
      ruleIds: ruleIdsOf(decision),
      meta: { action: 'hide' },
      causedBy: { index: decided },
      dedupeKey: { causeSuffix: '/action.requested' },
    })
  }
  if (plan.review) {
    inputs.push({
      ...base,
      type: 'review.requested',
      actor: policyActor(decision),
      categories: decision.categories,
      meta: { suggested: plan.suggested, urgent: decision.urgent, hiddenPending: plan.hide },
      causedBy: { index: decided },
      dedupeKey: { causeSuffix: '/review.requested' },
    })
  }
  if (escalates(j)) {
    // @NOTE recorded with the decision: the item shows as escalated from its first post, and
    // the mail (escalate-stage.ts) is queued from this event
    inputs.push({
      ...base,
      type: 'review.escalated',
      actor: policyActor(decision),
      categories: decision.categories,
      reason: `the policy escalates ${decision.categories.join(', ')} to the safety contact`,
      meta: { automatic: true },
      causedBy: { index: decided },
      dedupeKey: { causeSuffix: '/review.escalated' },
    })
  }
  return inputs
}

/** The policy passes threats and safeguarding concerns to the safety contact, with a review. */
function escalates(j: Judged): boolean {
  return j.decision.escalate && j.plan.review
}

function policyActor(decision: Decision) {
  return { kind: 'policy' as const, id: decision.policyVersion }
}

export function subjectFields(c: CommentEnvelope, runtime: AccountRuntime) {
  return {
    subjectKey: c.subjectKey,
    platform: c.platform,
    commentId: c.commentId,
    postId: c.postId,
    authorId: c.author.id,
    accountId: runtime.account.id,
  }
}

/** A short, text-free reason for the audit log: the categories and how many rules fired. */
function summarise(decision: Decision): string {
  if (decision.categories.length === 0) return 'no rule fired'
  return `${decision.action}: ${decision.categories.join(', ')} (${decision.reasons.length} rule(s))`
}

function isoOrNull(value: string): string | null {
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

/** Each rule once, in the order it first fired (a rule can match several stretches of text). */
function ruleIdsOf(decision: Decision): string[] {
  return [...new Set(decision.reasons.map((r) => r.rule))]
}
