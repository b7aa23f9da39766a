import type { AuditEvent, BulkEventInput, Db, Recorded } from '../audit/index.js'
import { recordEvents, saveSnapshots } from '../audit/index.js'
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
 * Records the facts of a job's judged comments inside the caller's transaction: the text
 * snapshots, then per comment comment.received (or .edited), decision.made, then
 * action.requested and/or review.requested. Dedupe keys come from the comment and its content
 * hash, so a second delivery records nothing. Returns one RecordedDecision per judged comment.
 * @NOTE two recordEvents calls, not one: the follow-ups' dedupe keys hold the id of their
 * decision.made, which is only known once that is recorded (or found as a duplicate).
 */
export async function recordDecisions(
  tx: Db,
  judged: Judged[],
  deliveryKey: string,
  at: string,
): Promise<RecordedDecision[]> {
  if (judged.length === 0) return []
  await saveSnapshots(
    tx,
    judged.map(({ comment: c, decision }) => ({
      subjectKey: c.subjectKey,
      authorId: c.author.id,
      authorName: c.author.name,
      text: c.text,
      permalink: c.permalink,
      contentHash: c.contentHash,
      reasons: decision.reasons,
      capturedAt: at,
    })),
  )
  const facts = await recordEvents(
    tx,
    judged.flatMap((j, i) => factInputs(j, deliveryKey, 2 * i)),
  )
  const decided = judged.map((_, i) => facts[2 * i + 1] as Recorded)
  const followUps = judged.flatMap((j, i) => followUpInputs(j, (decided[i] as Recorded).event.id))
  const recorded = await recordEvents(tx, followUps)
  let next = 0
  return judged.map((j, i) => {
    const hide = j.plan.hide ? (recorded[next++] as Recorded).event : null
    const review = j.plan.review ? (recorded[next++] as Recorded).event : null
    return { created: (decided[i] as Recorded).created, hide, review }
  })
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
function followUpInputs(j: Judged, causedBy: string): BulkEventInput[] {
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
      causedBy,
      dedupeKey: `${causedBy}/action.requested`,
    })
  }
  if (plan.review) {
    inputs.push({
      ...base,
      type: 'review.requested',
      actor: policyActor(decision),
      categories: decision.categories,
      meta: { suggested: plan.suggested, urgent: decision.urgent, hiddenPending: plan.hide },
      causedBy,
      dedupeKey: `${causedBy}/review.requested`,
    })
  }
  return inputs
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
