import type { AuditEvent, Db } from '../audit/index.js'
import { eventsForSubject, getSnapshot, getStatus } from '../audit/index.js'
import type { ReviewItem } from '../connectors/slack/types.js'
import type { AccountDirectory, AccountRuntime } from './accounts.js'
import type { ReviewRequest } from './messages.js'
import type { StrikeStore } from './strikes.js'
import { hiddenOrPending } from './supersede.js'

export type ReviewItemDeps = { db: Db; accounts: AccountDirectory; strikes: StrikeStore }

const DAY_MS = 86_400_000

/**
 * Everything a reviewer needs on one screen, read from the audit store: the text (unless
 * purged), the author and their strikes, where it was posted, the rules and words that fired.
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
  const kind = request?.kind ?? 'comment'
  if (kind !== 'comment') return alertItem(runtime, events, request)

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
    hidden: hiddenOrPending(status?.visibility, events),
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

function alertItem(
  runtime: AccountRuntime,
  events: AuditEvent[],
  request?: Pick<ReviewRequest, 'kind' | 'urgent' | 'causedBy'>,
): ReviewItem {
  const alert = events.find((e) => e.id === request?.causedBy) ?? events[events.length - 1]
  return {
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
    kind: request?.kind ?? 'platform_alert',
    summary: alert?.reason ?? 'Wardguard needs attention on this account',
  }
}

function profileUrl(runtime: AccountRuntime, authorId: string): string | null {
  if (!authorId) return null
  return runtime.platform === 'facebook'
    ? `https://www.facebook.com/${authorId}`
    : `https://x.com/i/user/${authorId}`
}
