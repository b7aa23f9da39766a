/**
 * A person sends a comment the policy allowed to review ("Send to review" in the audit app): a
 * review.requested event with who asked, the category they think it breaks and why. One per
 * decision: asking twice, or for a comment already in review, records nothing new.
 */
import type { Db } from './db.js'
import type { AuditEvent } from './events.js'
import { eventsForSubject, getStatus } from './query.js'
import { recordEvent } from './record.js'

export type HandReport =
  | { ok: true; event: AuditEvent; created: boolean }
  | { ok: false; problem: 'not_found' | 'not_allowed_by_policy' | 'already_in_review' | 'gone' }

export async function reportForReview(
  db: Db,
  input: { subjectKey: string; by: string; category: string; reason: string; at?: string },
): Promise<HandReport> {
  const events = await eventsForSubject(db, input.subjectKey)
  const decision = [...events].reverse().find((e) => e.type === 'decision.made')
  const status = await getStatus(db, input.subjectKey)
  if (!decision || !status) return { ok: false, problem: 'not_found' }
  // @NOTE asked before (a retry after Slack could not be reached): the same request, to queue again
  const asked = events.find(
    (e) =>
      e.type === 'review.requested' && e.causedBy === decision.id && e.actor.kind === 'moderator',
  )
  if (asked) return { ok: true, event: asked, created: false }
  if (status.visibility !== 'visible') return { ok: false, problem: 'gone' }
  if (status.reviewState === 'open' || status.reviewState === 'escalated') {
    return { ok: false, problem: 'already_in_review' }
  }
  if (decision.meta.decision !== 'allow') return { ok: false, problem: 'not_allowed_by_policy' }
  const { event, created } = await recordEvent(db, {
    type: 'review.requested',
    subjectKey: input.subjectKey,
    platform: decision.platform,
    commentId: decision.commentId,
    postId: decision.postId,
    authorId: decision.authorId,
    accountId: decision.accountId,
    actor: { kind: 'moderator', id: input.by },
    categories: [input.category],
    reason: input.reason,
    meta: { reported: true, suggested: 'hide', urgent: false },
    causedBy: decision.id,
    // @NOTE the key the policy's own review request would have had: one review per decision
    dedupeKey: `${decision.id}/review.requested`,
    at: input.at,
  })
  return { ok: true, event, created }
}
