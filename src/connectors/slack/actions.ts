import type { App } from '@slack/bolt'
import { reviewActionPattern } from './blocks.js'
import {
  allowedToDecide,
  carryOut,
  errName,
  type ReviewEnv,
  type Slack,
  tellUser,
} from './decision.js'
import { explainModal, needsExplanation } from './modal.js'
import {
  actionDedupeKey,
  BlockActionsBodySchema,
  messageRef,
  userName,
  verdictFromActionId,
} from './payloads.js'

/** Button clicks on review messages. */
export function registerReviewActions(app: App, env: ReviewEnv): void {
  app.action(reviewActionPattern, async ({ ack, body, client, context }) => {
    // @NOTE ack first: Slack shows the user an error after 3 s, and views.open has its own 3 s budget
    await ack()
    await onReviewClick(client, env, body, context.retryNum)
  })
}

export async function onReviewClick(
  client: Slack,
  env: ReviewEnv,
  rawBody: unknown,
  retryNum: number | undefined,
): Promise<void> {
  const parsed = BlockActionsBodySchema.safeParse(rawBody)
  if (!parsed.success) {
    env.log.warn({ issues: parsed.error.issues.length }, 'unexpected block_actions payload ignored')
    return
  }
  const body = parsed.data
  const action = body.actions[0]!
  const verdict = verdictFromActionId(action.action_id)
  const where = messageRef(body)
  if (!verdict || !where) return
  const user = body.user.id
  const item = await env.deps.getItem(action.value)
  if (!item) {
    await tellUser(
      client,
      env,
      { channel: where.channel, user },
      'This review item no longer exists. Nothing was done.',
    )
    return
  }
  const attempt = { verdict, slackUserId: user, channel: where.channel }
  if (!(await allowedToDecide(client, env, item, attempt))) return

  if (needsExplanation(verdict, item)) {
    // @NOTE a redelivered click must not stack a second form: the first delivery opened one,
    // and its trigger_id has expired anyway
    if (retryNum) return
    try {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: explainModal(item, {
          subjectKey: item.subjectKey,
          verdict,
          channel: where.channel,
          messageTs: where.ts,
        }),
      })
    } catch (err) {
      env.log.warn(
        { err: errName(err), subjectKey: item.subjectKey },
        'explanation form not opened',
      )
      await tellUser(
        client,
        env,
        { channel: where.channel, user },
        'The form could not be opened in time. Please click again.',
      )
    }
    return
  }

  await carryOut(client, env, item, {
    subjectKey: item.subjectKey,
    verdict,
    explanation: null,
    slackUserId: user,
    slackUserName: (await env.names?.(user).catch(() => null)) ?? userName(body.user),
    dedupeKey: actionDedupeKey(user, action.action_ts),
    channel: where.channel,
    messageTs: where.ts,
    replyWithExplanation: item.replyWithExplanation ?? false,
  })
}
