import { eventsForSubject, flaggedOnPost, recordEvent } from '../audit/index.js'
import { checkExplanation } from '../connectors/slack/explanation.js'
import type { HideAllInput, HideAllResult } from '../connectors/slack/types.js'
import type { ReviewDecisionDeps } from './review-decisions.js'

/**
 * "Hide all flagged on this post", from a pile-on alert: one review.resolved on the alert (who,
 * why, how many) and a moderator's hide for every flagged comment on the post still visible,
 * all in one transaction, carried out by the act queue. @NOTE only comments the policy flagged
 * (hidden or sent to review) are touched: a pile-on is also where criticism gathers, and
 * comments the policy allowed stay up.
 */
export async function hideAllFlagged(
  deps: ReviewDecisionDeps,
  input: HideAllInput,
): Promise<HideAllResult> {
  const events = await eventsForSubject(deps.db, input.subjectKey)
  const alert = events.find((e) => e.type === 'alert.raised' && e.meta.alert === 'pile_on')
  const runtime = alert?.accountId ? deps.accounts.byId(alert.accountId) : undefined
  if (!alert?.postId || !runtime) throw new Error(`no pile-on alert ${input.subjectKey}`)
  const explained = checkExplanation(input.explanation)
  if (!explained.ok) return { status: 'explanation_required' }
  const visible = (await flaggedOnPost(deps.db, runtime.account.id, alert.postId)).filter(
    (s) => s.visibility === 'visible',
  )
  const actor = { kind: 'moderator' as const, id: `slack/${input.slackUserId}` }
  const tool = { name: 'slack', meta: { channel: input.channel, messageTs: input.messageTs } }
  const result = await deps.db.transaction(async (tx) => {
    const resolved = await recordEvent(tx, {
      type: 'review.resolved',
      subjectKey: input.subjectKey,
      platform: alert.platform,
      commentId: null,
      postId: alert.postId,
      accountId: alert.accountId,
      actor,
      tool,
      reason: explained.text,
      meta: {
        verdict: 'hide',
        scope: 'post',
        hiddenCount: visible.length,
        slackDedupeKey: input.dedupeKey,
        ...(input.actorName ? { actorName: input.actorName } : {}),
      },
      causedBy: alert.id,
      dedupeKey: `${alert.id}/review.resolved`,
    })
    if (!resolved.created) return { resolved: resolved.event, requested: [] }
    const requested = []
    for (const s of visible) {
      const r = await recordEvent(tx, {
        type: 'action.requested',
        subjectKey: s.subjectKey,
        platform: s.platform,
        commentId: s.commentId,
        postId: s.postId,
        authorId: s.authorId,
        accountId: s.accountId,
        actor,
        tool,
        reason: explained.text,
        meta: { action: 'hide', pileOn: input.subjectKey },
        causedBy: resolved.event.id,
        dedupeKey: `${resolved.event.id}/action.requested/${s.subjectKey}`,
      })
      requested.push({ id: r.event.id, status: s })
    }
    return { resolved: resolved.event, requested }
  })
  if (result.requested.length === 0 && result.resolved.meta.slackDedupeKey !== input.dedupeKey) {
    return { status: 'already_decided', by: result.resolved.actor.id.replace(/^slack\//, '') }
  }
  await deps.followUps.actAll(
    result.requested.map(({ id, status: s }) => ({
      v: 1 as const,
      platform: s.platform as 'facebook' | 'x',
      accountId: runtime.platformId,
      subjectKey: s.subjectKey,
      commentId: s.commentId,
      authorId: s.authorId ?? '',
      action: 'hide' as const,
      requestedBy: actor,
      causedBy: id,
    })),
  )
  return { status: 'done', count: result.requested.length }
}
