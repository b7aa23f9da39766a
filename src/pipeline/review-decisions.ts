import type { Redis } from 'ioredis'
import { eventsForSubject, getStatus, recordEvent } from '../audit/index.js'
import { checkExplanation } from '../connectors/slack/explanation.js'
import { needsExplanation } from '../connectors/slack/modal.js'
import type {
  DecisionInput,
  DecisionResult,
  ReviewDeps,
  Verdict,
} from '../connectors/slack/types.js'
import type { AccountRuntime } from './accounts.js'
import type { FollowUps } from './follow-ups.js'
import type { PlatformAction } from './messages.js'
import { buildReviewItem, type ReviewItemDeps } from './review-items.js'
import { hideAllFlagged } from './review-pile-on.js'
import { hiddenOrPending } from './supersede.js'

export type ReviewDecisionDeps = ReviewItemDeps & {
  followUps: FollowUps
  /** lets a retried review job remember what it already posted (review-stage.ts) */
  redis?: Redis
}

/**
 * The service side of Slack review: who may decide, and what a decision does. A decision is
 * `review.resolved` (with the moderator and the explanation) plus the platform actions it asks
 * for, recorded in one transaction and carried out by the act queue, never inside the request.
 */
export function createReviewDeps(deps: ReviewDecisionDeps): ReviewDeps {
  return {
    getItem: (subjectKey) => buildReviewItem(deps, subjectKey),
    async isModerator(accountId, slackUserId) {
      const runtime = deps.accounts.byId(accountId)
      return runtime?.account.review.moderators.includes(slackUserId) ?? false
    },
    decide: (input) => decide(deps, input),
    hideAllFlagged: (input) => hideAllFlagged(deps, input),
    async recordRefusal(d) {
      const events = await eventsForSubject(deps.db, d.subjectKey)
      const first = events[0]
      if (!first) return
      await recordEvent(deps.db, {
        type: 'note',
        subjectKey: d.subjectKey,
        platform: first.platform,
        commentId: first.commentId,
        accountId: first.accountId,
        actor: { kind: 'moderator', id: `slack/${d.slackUserId}` },
        reason: `refused: not a moderator of this account (tried "${d.verdict}")`,
        meta: { refused: true, verdict: d.verdict },
        dedupeKey: `refusal/${d.subjectKey}/${d.slackUserId}/${d.verdict}/${Date.now()}`,
      })
    },
  }
}

async function decide(deps: ReviewDecisionDeps, input: DecisionInput): Promise<DecisionResult> {
  const events = await eventsForSubject(deps.db, input.subjectKey)
  const first = events[0]
  const runtime = first?.accountId ? deps.accounts.byId(first.accountId) : undefined
  if (!first?.commentId || !runtime) throw new Error(`nothing to decide for ${input.subjectKey}`)
  const request = [...events].reverse().find((e) => e.type === 'review.requested')
  const status = await getStatus(deps.db, input.subjectKey)
  // @NOTE an open review is decided once, from Slack or the web alike; with none open, a
  // decision from the web desk is about the state the person saw (seenEventId)
  const open = status?.reviewState === 'open' || status?.reviewState === 'escalated'
  const seen = input.seenEventId ? events.find((e) => e.id === input.seenEventId) : undefined
  if (input.seenEventId && !seen)
    throw new Error(`event ${input.seenEventId} is not of this comment`)
  const anchor = !open && seen ? seen.id : (request?.id ?? first.id)
  // @NOTE "hidden" includes a policy hide still queued: keeping such a comment reverses it
  const hidden = hiddenOrPending(status?.visibility, events)
  // @NOTE checked here too: whatever the Slack side let through, no real words, no reversal
  const explained = input.explanation !== null && checkExplanation(input.explanation).ok
  if (needsExplanation(input.verdict, { hidden }) && !explained) {
    return { status: 'explanation_required' }
  }
  const actions = actionsFor(input.verdict, runtime, hidden)
  const reply = replyFor(input, runtime, first.commentId, first.postId)

  const result = await deps.db.transaction(async (tx) => {
    const base = {
      subjectKey: input.subjectKey,
      platform: first.platform,
      commentId: first.commentId,
      postId: first.postId,
      authorId: first.authorId,
      accountId: first.accountId,
      actor: { kind: 'moderator' as const, id: `slack/${input.slackUserId}` },
      tool: input.tool ?? {
        name: 'slack',
        meta: { channel: input.channel, messageTs: input.messageTs },
      },
    }
    // @NOTE one resolution per review request: a second admin's click (or a race) hits the
    // unique dedupe key and gets the first decision back
    const resolved = await recordEvent(tx, {
      ...base,
      type: input.verdict === 'escalate' ? 'review.escalated' : 'review.resolved',
      reason: input.explanation,
      meta: {
        verdict: input.verdict,
        slackUserName: input.slackUserName,
        slackDedupeKey: input.dedupeKey,
        actions,
        hiddenBefore: hidden,
        replyWithExplanation: input.replyWithExplanation,
      },
      causedBy: anchor,
      dedupeKey:
        input.verdict === 'escalate' ? `${anchor}/review.escalated` : `${anchor}/review.resolved`,
    })
    if (!resolved.created) return { resolved: resolved.event, requested: [] }
    const requested = []
    for (const action of actions) {
      const r = await recordEvent(tx, {
        ...base,
        type: 'action.requested',
        reason: input.explanation,
        meta: { action },
        causedBy: resolved.event.id,
        dedupeKey: `${resolved.event.id}/action.requested/${action}`,
      })
      requested.push({ id: r.event.id, action, commentId: first.commentId as string })
    }
    if (reply) {
      const r = await recordEvent(tx, {
        ...base,
        type: 'action.requested',
        reason: input.explanation,
        meta: { action: 'reply', replyTo: reply.to },
        causedBy: resolved.event.id,
        dedupeKey: `${resolved.event.id}/action.requested/reply`,
      })
      requested.push({ id: r.event.id, action: 'reply' as const, commentId: reply.to })
    }
    return { resolved: resolved.event, requested }
  })

  if (result.requested.length === 0 && result.resolved.meta?.slackDedupeKey !== input.dedupeKey) {
    return {
      status: 'already_decided',
      by: result.resolved.actor.id.replace(/^slack\//, ''),
      verdict: (result.resolved.meta?.verdict as Verdict) ?? 'keep',
    }
  }
  for (const { id, action, commentId } of result.requested) {
    await deps.followUps.act({
      v: 1,
      platform: first.platform as 'facebook' | 'x',
      accountId: runtime.platformId,
      subjectKey: input.subjectKey,
      commentId,
      authorId: first.authorId ?? '',
      action,
      ...(action === 'reply' && input.explanation ? { message: input.explanation } : {}),
      requestedBy: { kind: 'moderator', id: `slack/${input.slackUserId}` },
      causedBy: id,
    })
  }
  return { status: 'decided' }
}

/**
 * Where the moderator's explanation is posted back, when the account asks for it:
 * under the comment, or for a removal under its post, since deleting a comment deletes its
 * replies.
 */
export function replyFor(
  input: DecisionInput,
  runtime: AccountRuntime,
  commentId: string | null,
  postId: string | null,
): { to: string } | null {
  const wanted = runtime.account.review.replyWithExplanation
  if (!wanted || !input.explanation) return null
  if (input.verdict === 'escalate') return null
  // @NOTE X's Remove only hides the reply, so the answer can go under it
  const removed = input.verdict === 'remove' && runtime.platform === 'facebook'
  const to = removed ? postId : commentId
  return to ? { to } : null
}

/** What each verdict does on each platform. X cannot delete others' posts: Remove hides there. */
export function actionsFor(
  verdict: Verdict,
  runtime: AccountRuntime,
  hidden: boolean,
): PlatformAction[] {
  const fb = runtime.platform === 'facebook'
  switch (verdict) {
    case 'remove':
      return fb ? ['delete'] : hidden ? [] : ['hide']
    case 'hide':
      return hidden ? [] : ['hide']
    case 'keep':
      return hidden ? ['unhide'] : []
    case 'ban': {
      const block: PlatformAction = fb
        ? 'ban'
        : runtime.account.platform === 'x' && runtime.account.tier === 'enterprise'
          ? 'block'
          : 'mute'
      return hidden ? [block] : ['hide', block]
    }
    case 'escalate':
      return []
  }
}
