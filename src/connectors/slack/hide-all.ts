/**
 * "Hide all flagged on this post" on a pile-on alert: the button opens a form asking why, the
 * submission hides (through the service's act queue) every flagged comment on the post that is
 * still visible, and the alert is rewritten to say who did it, why and how many.
 */
import type { App, types, ViewSubmitAction } from '@slack/bolt'
import { z } from 'zod'
import { HIDE_ALL_ACTION_ID, reviewMessage } from './blocks.js'
import { allowedToDecide, errName, type ReviewEnv, type Slack, tellUser } from './decision.js'
import { checkExplanation } from './explanation.js'
import { escapeMrkdwn, truncate, whoText } from './format.js'
import {
  BlockActionsBodySchema,
  messageRef,
  userName,
  ViewSubmissionBodySchema,
  viewDedupeKey,
} from './payloads.js'
import type { ReviewItem } from './types.js'

export const HIDE_ALL_CALLBACK_ID = 'review_hide_all'
const BLOCK_ID = 'explanation'
const ACTION_ID = 'text'

const MetaSchema = z.object({
  subjectKey: z.string().min(1),
  channel: z.string().min(1),
  messageTs: z.string().min(1),
})

export function registerHideAll(app: App, env: ReviewEnv): void {
  app.action(HIDE_ALL_ACTION_ID, async ({ ack, body, client, context }) => {
    await ack()
    if (context.retryNum) return
    await onHideAllClick(client, env, body)
  })
  app.view<ViewSubmitAction>(
    { callback_id: HIDE_ALL_CALLBACK_ID, type: 'view_submission' },
    async ({ ack, body, client }) => {
      await onHideAllSubmit(client, env, body, ack)
    },
  )
}

async function onHideAllClick(client: Slack, env: ReviewEnv, raw: unknown): Promise<void> {
  const parsed = BlockActionsBodySchema.safeParse(raw)
  if (!parsed.success) return
  const body = parsed.data
  const where = messageRef(body)
  const action = body.actions[0]
  if (!where || !action) return
  const item = await env.deps.getItem(action.value)
  if (item?.kind !== 'pile_on') return
  const attempt = { verdict: 'hide' as const, slackUserId: body.user.id, channel: where.channel }
  if (!(await allowedToDecide(client, env, item, attempt))) return
  try {
    await client.views.open({
      trigger_id: body.trigger_id,
      view: hideAllModal(item, { subjectKey: item.subjectKey, ...where, messageTs: where.ts }),
    })
  } catch (err) {
    env.log.warn({ err: errName(err) }, 'hide-all form not opened')
    await tellUser(
      client,
      env,
      { channel: where.channel, user: body.user.id },
      'The form could not be opened in time. Please click again.',
    )
  }
}

export function hideAllModal(item: ReviewItem, meta: z.infer<typeof MetaSchema>): types.ModalView {
  const n = item.visibleFlagged ?? 0
  return {
    type: 'modal',
    callback_id: HIDE_ALL_CALLBACK_ID,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Hide all flagged' },
    submit: { type: 'plain_text', text: `Hide ${n}` },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${n} flagged ${n === 1 ? 'comment' : 'comments'} on this post of *${escapeMrkdwn(truncate(item.accountName, 200))}* will be hidden. Comments the policy allowed stay up. Each can be unhidden later.`,
        },
      },
      {
        type: 'input',
        block_id: BLOCK_ID,
        label: { type: 'plain_text', text: 'Why? Your explanation is required' },
        element: {
          type: 'plain_text_input',
          action_id: ACTION_ID,
          multiline: true,
          max_length: 3000,
        },
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'Your explanation is kept in the audit log with every hide.' },
        ],
      },
    ],
  }
}

type ViewAck = (response?: {
  response_action: 'errors'
  errors: Record<string, string>
}) => Promise<void>

async function onHideAllSubmit(
  client: Slack,
  env: ReviewEnv,
  raw: unknown,
  ack: ViewAck,
): Promise<void> {
  const parsed = ViewSubmissionBodySchema.safeParse(raw)
  let meta: z.infer<typeof MetaSchema> | null = null
  try {
    const m = parsed.success
      ? MetaSchema.safeParse(JSON.parse(parsed.data.view.private_metadata))
      : null
    meta = m?.success ? m.data : null
  } catch {
    meta = null
  }
  if (!parsed.success || !meta) {
    await ack()
    return
  }
  const body = parsed.data
  const checked = checkExplanation(body.view.state.values[BLOCK_ID]?.[ACTION_ID]?.value)
  if (!checked.ok) {
    await ack({ response_action: 'errors', errors: { [BLOCK_ID]: checked.problem } })
    return
  }
  await ack()
  const to = { channel: meta.channel, user: body.user.id }
  const item = await env.deps.getItem(meta.subjectKey)
  if (item?.kind !== 'pile_on' || !env.deps.hideAllFlagged) return
  const attempt = { verdict: 'hide' as const, slackUserId: body.user.id, channel: meta.channel }
  if (!(await allowedToDecide(client, env, item, attempt))) return
  let result: Awaited<ReturnType<NonNullable<typeof env.deps.hideAllFlagged>>>
  try {
    result = await env.deps.hideAllFlagged({
      subjectKey: meta.subjectKey,
      explanation: checked.text,
      slackUserId: body.user.id,
      actorName: (await env.names?.(body.user.id)) ?? userName(body.user),
      dedupeKey: viewDedupeKey(body.view.id),
      channel: meta.channel,
      messageTs: meta.messageTs,
    })
  } catch (err) {
    env.log.error({ err: errName(err) }, 'hide-all not recorded')
    await tellUser(
      client,
      env,
      to,
      'The hides could not be recorded, so nothing was done. Please try again.',
    )
    return
  }
  if (result.status === 'already_decided') {
    await tellUser(
      client,
      env,
      to,
      `Already done by ${whoText(result.by)}. Nothing more was hidden.`,
    )
    return
  }
  if (result.status === 'explanation_required') return
  const fresh = await env.deps.getItem(meta.subjectKey).catch(() => null)
  if (!fresh) return
  try {
    await client.chat.update({
      channel: meta.channel,
      ts: meta.messageTs,
      ...reviewMessage(fresh, env.now()),
    })
  } catch (err) {
    env.log.warn({ err: errName(err) }, 'pile-on alert not updated')
  }
}
