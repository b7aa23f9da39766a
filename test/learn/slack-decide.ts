/** A moderator's decision in Slack, through the Slack simulator and the service's own endpoint. */
import { eventsForSubject } from '../../src/audit/index.js'
import { actionIdFor } from '../../src/connectors/slack/blocks.js'
import { type Harness, MODERATOR, REVIEW_CHANNEL, waitFor } from '../helpers/harness.js'
import {
  blockActionsPayload,
  type SlackSim,
  sendInteraction,
  viewSubmissionPayload,
} from '../simulators/slack-sim.js'

export async function decideInSlack(
  h: Harness,
  slack: SlackSim,
  signingSecret: string,
  subjectKey: string,
  verdict: 'keep' | 'remove',
  explanation: string,
): Promise<void> {
  const message = await waitFor(
    async () => slack.messages.find((m) => JSON.stringify(m.blocks).includes(subjectKey)),
    Boolean,
  )
  if (!message) {
    const events = await eventsForSubject(h.service.db, subjectKey)
    throw new Error(`no review message for ${subjectKey} (${events.map((e) => e.type).join(', ')})`)
  }
  const viewsBefore = slack.views.length
  await sendInteraction(
    `${h.service.url}/slack/events`,
    blockActionsPayload({
      userId: MODERATOR,
      channel: REVIEW_CHANNEL,
      messageTs: message.ts,
      actionId: actionIdFor(verdict),
      value: subjectKey,
      triggerId: slack.issueTrigger(),
    }),
    { signingSecret },
  )
  const view = await waitFor(async () => slack.views[viewsBefore], Boolean, 5_000)
  if (view) {
    await sendInteraction(
      `${h.service.url}/slack/events`,
      viewSubmissionPayload({
        userId: MODERATOR,
        view,
        values: { explanation: { text: { type: 'plain_text_input', value: explanation } } },
      }),
      { signingSecret },
    )
  }
  await waitFor(
    () => eventsForSubject(h.service.db, subjectKey),
    (e) => e.some((x) => x.type === 'review.resolved'),
  )
}
