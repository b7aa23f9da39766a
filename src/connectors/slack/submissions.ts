import type { App, ViewSubmitAction } from '@slack/bolt'
import { allowedToDecide, carryOut, type ReviewEnv, type Slack, tellUser } from './decision.js'
import { checkExplanation } from './explanation.js'
import {
  EXPLAIN_CALLBACK_ID,
  EXPLANATION_ACTION_ID,
  EXPLANATION_BLOCK_ID,
  type ExplainMetadata,
  ExplainMetadataSchema,
} from './modal.js'
import {
  userName,
  type ViewSubmissionBody,
  ViewSubmissionBodySchema,
  viewDedupeKey,
} from './payloads.js'

type ViewAck = (response?: {
  response_action: 'errors'
  errors: Record<string, string>
}) => Promise<void>

/** Submissions of the "explain why" modal. */
export function registerExplainSubmissions(app: App, env: ReviewEnv): void {
  app.view<ViewSubmitAction>(
    { callback_id: EXPLAIN_CALLBACK_ID, type: 'view_submission' },
    async ({ ack, body, client }) => {
      await onExplainSubmit(client, env, body, ack)
    },
  )
}

export async function onExplainSubmit(
  client: Slack,
  env: ReviewEnv,
  rawBody: unknown,
  ack: ViewAck,
): Promise<void> {
  const parsed = ViewSubmissionBodySchema.safeParse(rawBody)
  const meta = parsed.success ? readMetadata(parsed.data) : null
  if (!parsed.success || !meta) {
    env.log.warn('unexpected view_submission payload ignored')
    await ack()
    return
  }
  const body = parsed.data
  // @NOTE Slack's client enforces a required input, but blank, invisible or one-dot ones arrive
  const checked = checkExplanation(
    body.view.state.values[EXPLANATION_BLOCK_ID]?.[EXPLANATION_ACTION_ID]?.value,
  )
  if (!checked.ok) {
    await ack({ response_action: 'errors', errors: { [EXPLANATION_BLOCK_ID]: checked.problem } })
    return
  }
  const explanation = checked.text
  await ack()

  const user = body.user.id
  const item = await env.deps.getItem(meta.subjectKey)
  if (!item) {
    await tellUser(
      client,
      env,
      { channel: meta.channel, user },
      'This review item no longer exists. Nothing was done.',
    )
    return
  }
  // @NOTE checked again: moderator lists can change while the form is open
  if (
    !(await allowedToDecide(client, env, item, {
      verdict: meta.verdict,
      slackUserId: user,
      channel: meta.channel,
    }))
  ) {
    return
  }
  await carryOut(client, env, item, {
    subjectKey: item.subjectKey,
    verdict: meta.verdict,
    explanation,
    slackUserId: user,
    slackUserName: (await env.names?.(user).catch(() => null)) ?? userName(body.user),
    dedupeKey: viewDedupeKey(body.view.id),
    channel: meta.channel,
    messageTs: meta.messageTs,
    replyWithExplanation: item.replyWithExplanation ?? false,
  })
}

function readMetadata(body: ViewSubmissionBody): ExplainMetadata | null {
  try {
    const parsed = ExplainMetadataSchema.safeParse(JSON.parse(body.view.private_metadata))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
