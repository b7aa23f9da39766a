import { Hono } from 'hono'
import { actionIdFor } from '../../src/connectors/slack/blocks.js'
import { HonoReceiver } from '../../src/connectors/slack/receiver.js'
import { createReviewApp, type ReviewApp } from '../../src/connectors/slack/review-app.js'
import type { PostedMessage, ReviewItem, Verdict } from '../../src/connectors/slack/types.js'
import {
  blockActionsPayload,
  type SendOptions,
  type SimView,
  type SlackSim,
  sendInteraction,
  startSlackSim,
  viewSubmissionPayload,
} from '../simulators/slack-sim.js'
import { type FakeReview, fakeReview } from './fake-review.js'

export const botToken = 'xoxb-test-bot'
export const appToken = 'xapp-test-app'
export const signingSecret = 'test-signing-secret'
export const fixedNow = new Date('2026-11-20T10:12:00.000Z')

export type HttpHarness = {
  sim: SlackSim
  review: FakeReview
  slack: ReviewApp
  receiver: HonoReceiver
  http: Hono
  post(item: ReviewItem): Promise<PostedMessage>
  click(
    user: string,
    verdict: Verdict,
    item: ReviewItem,
    at: PostedMessage,
    o?: Partial<SendOptions> & { actionTs?: string },
  ): Promise<Response>
  submit(
    user: string,
    view: SimView,
    explanation: string | null,
    o?: Partial<SendOptions>,
  ): Promise<Response>
  /** every listener that ran after its ack has finished */
  settle(): Promise<void>
  close(): Promise<void>
}

/** Real Bolt, real WebClient, the Slack simulator, and the lead's service faked in memory. */
export async function httpHarness(
  items: ReviewItem[],
  moderators: Record<string, string[]>,
): Promise<HttpHarness> {
  const sim = await startSlackSim({ botToken })
  const review = fakeReview(items, moderators)
  const receiver = new HonoReceiver({ signingSecret })
  const slack = createReviewApp({
    token: botToken,
    slackApiUrl: sim.url,
    deps: review,
    receiver,
    now: () => fixedNow,
  })
  await slack.start()
  const http = new Hono().route('/slack', receiver.routes())
  const send = { signingSecret, fetch: (req: Request) => http.fetch(req) }
  const url = 'http://wardguard.test/slack/events'
  return {
    sim,
    review,
    slack,
    receiver,
    http,
    post: (item) => slack.postReviewItem(item),
    click: (user, verdict, item, at, o = {}) =>
      sendInteraction(
        url,
        blockActionsPayload({
          userId: user,
          channel: at.channel,
          messageTs: at.ts,
          actionId: actionIdFor(verdict),
          value: item.subjectKey,
          triggerId: sim.issueTrigger(),
          actionTs: o.actionTs,
        }),
        { ...send, ...o },
      ),
    submit: (user, view, explanation, o = {}) =>
      sendInteraction(
        url,
        viewSubmissionPayload({
          userId: user,
          view,
          values: { explanation: { text: { type: 'plain_text_input', value: explanation } } },
        }),
        { ...send, ...o },
      ),
    settle: () => receiver.idle(),
    async close() {
      await slack.stop()
      await sim.close()
    },
  }
}
