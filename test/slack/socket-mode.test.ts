import { afterEach, describe, expect, it, vi } from 'vitest'
import { actionIdFor } from '../../src/connectors/slack/blocks.js'
import { createReviewApp, type ReviewApp } from '../../src/connectors/slack/review-app.js'
import {
  blockActionsPayload,
  type SlackSim,
  startSlackSim,
  viewSubmissionPayload,
} from '../simulators/slack-sim.js'
import { commentItem, type FakeReview, fakeReview } from './fake-review.js'
import { appToken, botToken, fixedNow } from './setup.js'

const admin = 'U0ADMIN1'
let sim: SlackSim | null = null
let slack: ReviewApp | null = null
afterEach(async () => {
  await slack?.stop()
  await sim?.close()
  slack = null
  sim = null
})

async function socketApp(): Promise<{ sim: SlackSim; slack: ReviewApp; review: FakeReview }> {
  sim = await startSlackSim({ botToken, appToken })
  const review = fakeReview([commentItem()], { 'page-1': [admin] })
  slack = createReviewApp({
    token: botToken,
    slackApiUrl: sim.url,
    deps: review,
    socketMode: { appToken },
    now: () => fixedNow,
  })
  await slack.start()
  return { sim, slack, review }
}

describe('slack socket mode', () => {
  it('connects with the app token and decides when a block_actions envelope arrives over the socket', async () => {
    const { sim, slack, review } = await socketApp()
    expect(sim.openSockets()).toBe(1)
    expect(sim.calls('apps.connections.open')[0]?.token).toBe(appToken)
    const item = commentItem()
    const at = await slack.postReviewItem(item)
    const click = blockActionsPayload({
      userId: admin,
      channel: at.channel,
      messageTs: at.ts,
      actionId: actionIdFor('hide'),
      value: item.subjectKey,
      triggerId: sim.issueTrigger(),
      actionTs: '1763632400.000300',
    })
    const ack = await sim.pushEnvelope('interactive', click)
    expect(ack).toEqual({})
    await sim.pushEnvelope('interactive', click, { retryAttempt: 1 })
    // each delivery re-renders the same message from the one recorded decision
    await vi.waitFor(() => expect(sim.message(at.channel, at.ts)?.updates).toBeGreaterThan(0))
    await vi.waitFor(() => expect(review.decideCalls).toHaveLength(2))
    expect(review.decideCalls.map((d) => [d.verdict, d.dedupeKey])).toEqual([
      ['hide', `slack.action.${admin}.1763632400.000300`],
      ['hide', `slack.action.${admin}.1763632400.000300`],
    ])
    expect(JSON.stringify(sim.message(at.channel, at.ts)?.blocks)).toContain(
      `*Hidden* by <@${admin}>`,
    )
  })

  it('acks a blank explanation over the socket with response_action errors', async () => {
    const { sim, slack, review } = await socketApp()
    const item = commentItem()
    const at = await slack.postReviewItem(item)
    await sim.pushEnvelope(
      'interactive',
      blockActionsPayload({
        userId: admin,
        channel: at.channel,
        messageTs: at.ts,
        actionId: actionIdFor('remove'),
        value: item.subjectKey,
        triggerId: sim.issueTrigger(),
      }),
    )
    await vi.waitFor(() => expect(sim.views).toHaveLength(1))
    const view = sim.views[0]!
    const blank = viewSubmissionPayload({
      userId: admin,
      view,
      values: { explanation: { text: { value: ' ' } } },
    })
    const ack = await sim.pushEnvelope('interactive', blank)
    expect(ack).toMatchObject({
      response_action: 'errors',
      errors: { explanation: expect.any(String) },
    })

    const filled = viewSubmissionPayload({
      userId: admin,
      view,
      values: { explanation: { text: { value: 'Spam link' } } },
    })
    expect(await sim.pushEnvelope('interactive', filled)).toEqual({})
    await vi.waitFor(() =>
      expect(review.decideCalls).toMatchObject([{ verdict: 'remove', explanation: 'Spam link' }]),
    )
  })

  it('fails start with a token error when Slack refuses the app-level token', async () => {
    sim = await startSlackSim({ botToken, appToken: 'xapp-another-one' })
    slack = createReviewApp({
      token: botToken,
      slackApiUrl: sim.url,
      deps: fakeReview([], {}),
      socketMode: { appToken },
    })
    await expect(slack.start()).rejects.toMatchObject({
      code: 'platform_token_invalid',
      retryable: false,
    })
    expect(sim.openSockets()).toBe(0)
  })
})
