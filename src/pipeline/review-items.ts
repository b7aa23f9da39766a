import type { AuditEvent, Db, SubjectStatus } from '../audit/index.js'
import { eventsForSubject, flaggedOnPost, getSnapshot, getStatus } from '../audit/index.js'
import type {
  BanEffect,
  CommentState,
  Escalation,
  Resolution,
  ReviewItem,
} from '../connectors/slack/types.js'
import type { AccountDirectory, AccountRuntime } from './accounts.js'
import type { ReviewRequest } from './messages.js'
import type { StrikeStore } from './strikes.js'
import { hiddenOrPending } from './supersede.js'

export type ReviewItemDeps = { db: Db; accounts: AccountDirectory; strikes: StrikeStore }

const DAY_MS = 86_400_000

/**
 * Everything a reviewer needs on one screen, read from the audit store: the text (unless
 * purged), the author and their strikes, where it was posted, the rules and words that fired,
 * the comment's state now, and any decision or escalation already recorded. Every post and
 * refresh of a review message is built from this, so the message says what the store says.
 */
export async function buildReviewItem(
  deps: ReviewItemDeps,
  subjectKey: string,
  request?: Pick<ReviewRequest, 'kind' | 'urgent' | 'causedBy'>,
): Promise<ReviewItem | null> {
  const events = await eventsForSubject(deps.db, subjectKey)
  const first = events[0]
  if (!first?.accountId) return null
  const runtime = deps.accounts.byId(first.accountId)
  if (!runtime) return null
  const alert = events.find((e) => e.type === 'alert.raised' && e.commentId === null)
  const kind = request?.kind ?? (alert ? alertKind(alert) : 'comment')
  if (kind !== 'comment') return alertItem(deps.db, runtime, events, request)

  const [status, snapshot] = await Promise.all([
    getStatus(deps.db, subjectKey),
    getSnapshot(deps.db, subjectKey),
  ])
  const decision = [...events].reverse().find((e) => e.type === 'decision.made')
  const reviewRequested = [...events].reverse().find((e) => e.type === 'review.requested')
  const authorId = first.authorId ?? snapshot?.authorId ?? ''
  const strikes = await deps.strikes.count(
    runtime.account.id,
    authorId,
    Date.now(),
    runtime.policy.repeatOffenders.windowDays * DAY_MS,
  )
  const state = commentState(status, events)
  return {
    subjectKey,
    platform: runtime.platform,
    accountId: runtime.account.id,
    accountName: runtime.account.name,
    channel: runtime.account.review.channel,
    commentId: first.commentId ?? '',
    permalink: snapshot?.permalink ?? null,
    text: snapshot?.text ?? null,
    // @NOTE hidden, or a policy hide on its way: Keep then reverses it and needs an explanation
    hidden: state === 'hidden' || state === 'hiding',
    state,
    banEffect: banEffectFor(runtime),
    resolution: resolutionOf(events),
    escalation: escalationOf(events),
    author: {
      id: authorId,
      name: snapshot?.authorName ?? null,
      profileUrl: profileUrl(runtime, authorId),
      strikes,
    },
    // @NOTE a comment the policy allowed, sent to review by a person, under the category they named
    categories: reviewRequested?.categories.length
      ? reviewRequested.categories
      : (decision?.categories ?? []),
    reasons: snapshot?.reasons ?? [],
    suggested: (reviewRequested?.meta?.suggested as ReviewItem['suggested']) ?? null,
    urgent: request?.urgent ?? Boolean(reviewRequested?.meta?.urgent),
    receivedAt: first.createdAt,
    kind: 'comment',
    replyWithExplanation: runtime.account.review.replyWithExplanation,
  }
}

/** The comment's state: deleted and hidden as recorded, or a policy hide still on its way. */
export function commentState(
  status: Pick<SubjectStatus, 'visibility'> | null,
  events: AuditEvent[],
): CommentState {
  if (status?.visibility === 'deleted') return 'deleted'
  if (status?.visibility === 'hidden') return 'hidden'
  return hiddenOrPending(status?.visibility, events) ? 'hiding' : 'visible'
}

/** What Ban does on this account. @NOTE blocking on X needs the Enterprise tier; below, mute. */
export function banEffectFor(runtime: AccountRuntime): BanEffect {
  if (runtime.account.platform === 'facebook') return 'ban'
  return runtime.account.tier === 'enterprise' ? 'block' : 'mute'
}

/** The latest person's decision, with the name they had in Slack when they took it. */
function resolutionOf(events: AuditEvent[]): Resolution | null {
  const resolved = [...events].reverse().find((e) => e.type === 'review.resolved')
  if (!resolved) return null
  const verdict = resolved.meta.verdict
  if (verdict !== 'remove' && verdict !== 'hide' && verdict !== 'keep' && verdict !== 'ban')
    return null
  return {
    verdict,
    by: slackId(resolved),
    byName: nameOf(resolved),
    explanation: resolved.reason,
    at: resolved.createdAt,
    ...(typeof resolved.meta.hiddenBefore === 'boolean'
      ? { hiddenBefore: resolved.meta.hiddenBefore }
      : {}),
    ...(typeof resolved.meta.hiddenCount === 'number'
      ? { hiddenCount: resolved.meta.hiddenCount }
      : {}),
    failedActions: failedActionsOf(events, resolved),
  }
}

/** What the decision asked of the platform that failed for good (not retried any more). */
function failedActionsOf(events: AuditEvent[], resolved: AuditEvent): string[] {
  const requested = new Set(
    events
      .filter((e) => e.type === 'action.requested' && e.causedBy === resolved.id)
      .map((e) => e.id),
  )
  return events
    .filter((e) => e.type === 'action.failed' && e.causedBy !== null && requested.has(e.causedBy))
    .map((e) => String(e.meta.action))
}

/** Who escalated, to whom, and what became of the mail (escalate-stage.ts records it). */
function escalationOf(events: AuditEvent[]): Escalation | null {
  const escalated = events.find((e) => e.type === 'review.escalated')
  if (!escalated) return null
  const after = events.filter((e) => e.causedBy === escalated.id)
  const accepted = after.find((e) => e.type === 'note' && e.meta.mail === 'accepted')
  const failed = after.find((e) => e.type === 'alert.raised' && e.meta.alert === 'escalation')
  const to = accepted?.meta.to ?? failed?.meta.to ?? escalated.meta.to
  const automatic = escalated.actor.kind === 'policy'
  return {
    by: automatic ? `Wardguard policy (version ${escalated.actor.id})` : slackId(escalated),
    byName: automatic ? null : nameOf(escalated),
    automatic,
    to: typeof to === 'string' ? to : null,
    at: escalated.createdAt,
    mailAcceptedAt: typeof accepted?.meta.acceptedAt === 'string' ? accepted.meta.acceptedAt : null,
    mailFailed: !accepted && failed !== undefined,
  }
}

function slackId(e: AuditEvent): string {
  return e.actor.id.replace(/^slack\//, '')
}

function nameOf(e: AuditEvent): string | null {
  const name = e.meta.actorName ?? e.meta.slackUserName
  return typeof name === 'string' && name ? name : null
}

function alertKind(alert: AuditEvent): ReviewItem['kind'] {
  const kind = alert.meta.alert
  return kind === 'pile_on' || kind === 'token_alert' ? kind : 'platform_alert'
}

async function alertItem(
  db: Db,
  runtime: AccountRuntime,
  events: AuditEvent[],
  request?: Pick<ReviewRequest, 'kind' | 'urgent' | 'causedBy'>,
): Promise<ReviewItem> {
  const alert =
    events.find((e) => e.id === request?.causedBy) ??
    events.find((e) => e.type === 'alert.raised') ??
    events[events.length - 1]
  const kind = request?.kind ?? (alert ? alertKind(alert) : 'platform_alert')
  const item: ReviewItem = {
    subjectKey: alert?.subjectKey ?? '',
    platform: runtime.platform,
    accountId: runtime.account.id,
    accountName: runtime.account.name,
    channel: runtime.account.review.channel,
    commentId: alert?.commentId ?? '',
    permalink: null,
    text: null,
    hidden: false,
    author: { id: '', name: null, profileUrl: null, strikes: 0 },
    categories: [],
    reasons: [],
    suggested: null,
    urgent: request?.urgent ?? true,
    receivedAt: alert?.createdAt ?? new Date().toISOString(),
    kind,
    summary: alert?.reason ?? 'Wardguard needs attention on this account',
  }
  if (kind !== 'pile_on' || !alert?.postId) return item
  const flagged = await flaggedOnPost(db, runtime.account.id, alert.postId)
  const count = typeof alert.meta.count === 'number' ? alert.meta.count : flagged.length
  return {
    ...item,
    permalink: postUrl(runtime, alert.postId),
    summary: `${count} flagged comments on one post within ${String(alert.meta.windowMinutes ?? '?')} minutes.`,
    flaggedCount: count,
    visibleFlagged: flagged.filter((s) => s.visibility === 'visible').length,
    resolution: resolutionOf(events),
  }
}

function profileUrl(runtime: AccountRuntime, authorId: string): string | null {
  if (!authorId) return null
  return runtime.platform === 'facebook'
    ? `https://www.facebook.com/${authorId}`
    : `https://x.com/i/user/${authorId}`
}

/** The post itself: a Facebook post id is `<pageId>_<postId>`, which facebook.com resolves. */
function postUrl(runtime: AccountRuntime, postId: string): string {
  return runtime.platform === 'facebook'
    ? `https://www.facebook.com/${postId}`
    : `https://x.com/i/web/status/${postId}`
}
