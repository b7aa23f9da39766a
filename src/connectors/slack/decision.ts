/**
 * What happens after a moderator's choice is known: record it through the lead's decide(), then
 * show the outcome on the review message. Platform calls happen later, in the act queue.
 */
import type { webApi } from '@slack/bolt'
import type { Logger } from 'pino'
import { decidedMessage, reviewMessage } from './blocks.js'
import { verdictOutcome, whoText } from './format.js'
import type { DecisionInput, ReviewDeps, ReviewItem } from './types.js'

export type ReviewEnv = {
  deps: ReviewDeps
  now: () => Date
  log: Logger
  /** the moderator's Slack display name (users.info, cached); absent: the payload's username */
  names?: (userId: string) => Promise<string | null>
}
export type Slack = webApi.WebClient

/** An ephemeral note is a courtesy; failing to send it must not hide the real outcome. */
export async function tellUser(
  client: Slack,
  env: ReviewEnv,
  to: { channel: string; user: string },
  text: string,
): Promise<void> {
  try {
    await client.chat.postEphemeral({ channel: to.channel, user: to.user, text })
  } catch (err) {
    env.log.warn({ err: errName(err), channel: to.channel }, 'could not post ephemeral note')
  }
}

/** Gatekeeper for every click and submission: only the account's moderators may decide. */
export async function allowedToDecide(
  client: Slack,
  env: ReviewEnv,
  item: ReviewItem,
  attempt: Pick<DecisionInput, 'verdict' | 'slackUserId' | 'channel'>,
): Promise<boolean> {
  if (await env.deps.isModerator(item.accountId, attempt.slackUserId)) return true
  env.log.info(
    { subjectKey: item.subjectKey, user: attempt.slackUserId, verdict: attempt.verdict },
    'review decision refused: not a moderator of this account',
  )
  try {
    await env.deps.recordRefusal({
      subjectKey: item.subjectKey,
      slackUserId: attempt.slackUserId,
      verdict: attempt.verdict,
    })
  } finally {
    await tellUser(
      client,
      env,
      { channel: attempt.channel, user: attempt.slackUserId },
      `Only the moderators of ${item.accountName} can decide on this item. Nothing was done.`,
    )
  }
  return false
}

export async function carryOut(
  client: Slack,
  env: ReviewEnv,
  item: ReviewItem,
  input: DecisionInput,
): Promise<void> {
  const to = { channel: input.channel, user: input.slackUserId }
  let result: Awaited<ReturnType<ReviewDeps['decide']>>
  try {
    result = await env.deps.decide(input)
  } catch (err) {
    env.log.error(
      { err: errName(err), subjectKey: input.subjectKey },
      'review decision not recorded',
    )
    await tellUser(
      client,
      env,
      to,
      'Your decision could not be recorded, so nothing was done. Please try again.',
    )
    return
  }
  if (result.status === 'explanation_required') {
    await tellUser(
      client,
      env,
      to,
      'This comment is hidden (or about to be), so keeping it reverses that and needs an explanation. Please click again and say why.',
    )
    return
  }
  // @NOTE a redelivery of our own decision comes back as "already decided" by ourselves with the
  // same verdict: that is success, and refreshing the message again is harmless
  const ours =
    result.status === 'decided' ||
    (result.by === input.slackUserId && result.verdict === input.verdict)
  if (result.status === 'already_decided' && !ours) {
    const outcome = verdictOutcome(result.verdict, item)
    await tellUser(
      client,
      env,
      to,
      `Already decided by ${whoText(result.by)}: ${outcome}. Your choice was not applied.`,
    )
    return
  }
  // @NOTE rendered from the store when it can be: the decision as recorded, the state now, and
  // for an escalation the buttons that still decide it
  const fresh = await env.deps.getItem(input.subjectKey).catch(() => null)
  const message =
    fresh && (fresh.resolution || fresh.escalation)
      ? reviewMessage(fresh, env.now())
      : decidedMessage(item, {
          verdict: input.verdict,
          by: input.slackUserId,
          explanation: input.explanation,
          at: env.now(),
        })
  try {
    await client.chat.update({ channel: input.channel, ts: input.messageTs, ...message })
  } catch (err) {
    // @NOTE the decision stands (it is in the audit log and queued); only the message is stale,
    // and a later click on it gets "already decided"
    env.log.warn({ err: errName(err), subjectKey: input.subjectKey }, 'review message not updated')
  }
}

/** Error names and Slack error codes only: messages from elsewhere might quote payloads. */
export function errName(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string')
    return err.code
  return err instanceof Error ? err.name : 'unknown'
}
