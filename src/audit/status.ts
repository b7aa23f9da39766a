import type { PlatformAction } from '../pipeline/messages.js'
import type { AuditEvent, DecisionKind, SubjectStatus, Visibility } from './events.js'

/** Only events about one comment of one account have a status to fold into. */
export function foldsIntoStatus(
  event: Pick<AuditEvent, 'platform' | 'commentId' | 'accountId'>,
): boolean {
  return event.platform !== 'system' && event.commentId !== null && event.accountId !== null
}

/**
 * The status of a comment after one more event. Pure: replaying a comment's events through it
 * rebuilds subject_status.
 */
export function nextStatus(current: SubjectStatus | null, event: AuditEvent): SubjectStatus {
  const prior = current ?? initialStatus(event)
  const base: SubjectStatus = {
    ...prior,
    postId: prior.postId ?? event.postId,
    authorId: prior.authorId ?? event.authorId,
    lastEventId: event.id,
    updatedAt: latest(prior.updatedAt, event.createdAt),
  }
  switch (event.type) {
    case 'comment.received':
    case 'comment.edited':
      return { ...base, contentHash: textOf(event.meta.contentHash) ?? base.contentHash }
    case 'comment.removed_on_platform':
      return { ...base, visibility: 'deleted' }
    case 'comment.hidden_on_platform':
      return { ...base, visibility: base.visibility === 'deleted' ? 'deleted' : 'hidden' }
    case 'comment.unhidden_on_platform':
      return { ...base, visibility: base.visibility === 'deleted' ? 'deleted' : 'visible' }
    case 'decision.made':
      return {
        ...base,
        lastDecision: (textOf(event.meta.decision) as DecisionKind | null) ?? base.lastDecision,
        categories: event.categories,
      }
    case 'action.applied': {
      const action = textOf(event.meta.action) as PlatformAction | null
      if (action === null) return base
      return { ...base, lastAction: action, visibility: visibilityAfter(action, base.visibility) }
    }
    case 'review.requested':
      return { ...base, reviewState: base.reviewState === 'escalated' ? 'escalated' : 'open' }
    case 'review.escalated':
      return { ...base, reviewState: 'escalated' }
    case 'review.resolved':
      return {
        ...base,
        reviewState: 'closed',
        lastReviewedBy: event.actor.id,
        lastReviewedAt: event.createdAt,
      }
    case 'comment.rejected':
    case 'action.requested':
    case 'action.failed':
    case 'action.parked':
    case 'action.cancelled':
    case 'review.posted':
    case 'alert.raised':
    case 'retention.purged':
    case 'account.connected':
    case 'account.updated':
    case 'account.removed':
    case 'shadow.started':
    case 'shadow.stopped':
    case 'shadow.switched':
    case 'note':
      return base
    default: {
      const unhandled: never = event.type
      throw new Error(`unhandled audit event type: ${String(unhandled)}`)
    }
  }
}

// @NOTE ban, mute and block act on the author, not on this comment's visibility; a deleted
// comment stays deleted whatever comes after.
function visibilityAfter(action: PlatformAction, current: Visibility): Visibility {
  if (current === 'deleted') return 'deleted'
  switch (action) {
    case 'hide':
      return 'hidden'
    case 'unhide':
      return 'visible'
    case 'delete':
      return 'deleted'
    case 'ban':
    case 'mute':
    case 'block':
    case 'reply':
      return current
  }
}

function initialStatus(event: AuditEvent): SubjectStatus {
  if (event.commentId === null || event.accountId === null) {
    throw new Error(`audit event ${event.id} (${event.type}) is not about a comment`)
  }
  return {
    subjectKey: event.subjectKey,
    platform: event.platform,
    commentId: event.commentId,
    postId: event.postId,
    accountId: event.accountId,
    authorId: event.authorId,
    visibility: 'visible',
    reviewState: 'none',
    lastDecision: null,
    lastAction: null,
    categories: [],
    contentHash: null,
    lastEventId: event.id,
    lastReviewedBy: null,
    lastReviewedAt: null,
    createdAt: event.createdAt,
    updatedAt: event.createdAt,
  }
}

function latest(a: string, b: string): string {
  return new Date(Math.max(Date.parse(a), Date.parse(b))).toISOString()
}

function textOf(v: unknown): string | null {
  return typeof v === 'string' ? v : null
}
