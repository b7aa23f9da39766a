import type { AuditEvent, Db } from '../audit/index.js'
import { recordEvent, saveSnapshot } from '../audit/index.js'
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
}

/** What the decision asks for. Threats and repeat offenders are hidden AND put in front of a person. */
export function planFollowUps(decision: Decision): FollowUpPlan {
  const hide = decision.action === 'hide'
  const review = decision.reviewRequired
  const suggested = decision.suggestBan ? 'ban' : hide ? 'remove' : review ? 'hide' : null
  return { hide, review, suggested }
}

/**
 * Records the facts of one judged comment inside the caller's transaction: the text snapshot,
 * comment.received (or .edited), decision.made, then action.requested and/or review.requested.
 * Dedupe keys come from the comment and its content hash, so a second delivery records nothing.
 */
export async function recordDecision(
  tx: Db,
  j: Judged,
  deliveryKey: string,
  at: string,
): Promise<RecordedDecision> {
  const { comment: c, decision, plan } = j
  await saveSnapshot(tx, {
    subjectKey: c.subjectKey,
    authorId: c.author.id,
    authorName: c.author.name,
    text: c.text,
    permalink: c.permalink,
    contentHash: c.contentHash,
    reasons: decision.reasons,
    capturedAt: at,
  })
  const base = subjectFields(c, j.runtime)
  const policyActor = { kind: 'policy' as const, id: decision.policyVersion }
  const received = await recordEvent(tx, {
    ...base,
    type: c.verb === 'edited' ? 'comment.edited' : 'comment.received',
    actor: { kind: 'platform', id: c.platform },
    meta: { contentHash: c.contentHash, deliveryKey, source: c.source },
    dedupeKey: `${c.subjectKey}/${c.contentHash}/received`,
  })
  const decided = await recordEvent(tx, {
    ...base,
    type: 'decision.made',
    actor: policyActor,
    tool: { name: 'wardguard-policy', version: decision.policyVersion },
    ruleIds: decision.reasons.map((r) => r.rule),
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
    causedBy: received.event.id,
    dedupeKey: `${c.subjectKey}/${c.contentHash}/decided`,
  })
  const causedBy = decided.event.id
  const hide = plan.hide
    ? await recordEvent(tx, {
        ...base,
        type: 'action.requested',
        actor: policyActor,
        ruleIds: decision.reasons.map((r) => r.rule),
        meta: { action: 'hide' },
        causedBy,
        dedupeKey: `${causedBy}/action.requested`,
      })
    : null
  const review = plan.review
    ? await recordEvent(tx, {
        ...base,
        type: 'review.requested',
        actor: policyActor,
        categories: decision.categories,
        meta: { suggested: plan.suggested, urgent: decision.urgent, hiddenPending: plan.hide },
        causedBy,
        dedupeKey: `${causedBy}/review.requested`,
      })
    : null
  return { created: decided.created, hide: hide?.event ?? null, review: review?.event ?? null }
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
