import { afterEach, describe, expect, it } from 'vitest'
import { SlackApiError } from '../../src/connectors/slack/errors.js'
import { createReviewApp, type ReviewApp } from '../../src/connectors/slack/review-app.js'
import { rejectionOf } from '../helpers/rejection.js'
import { type SlackSim, startSlackSim } from '../simulators/slack-sim.js'
import { commentItem, fakeReview } from './fake-review.js'
import { botToken, signingSecret } from './setup.js'

let sim: SlackSim | null = null
afterEach(async () => {
  await sim?.close()
  sim = null
})

async function poster(): Promise<{ sim: SlackSim; slack: ReviewApp }> {
  sim = await startSlackSim({ botToken })
  const slack = createReviewApp({
    token: botToken,
    signingSecret,
    slackApiUrl: sim.url,
    deps: fakeReview([], {}),
  })
  return { sim, slack }
}

const failure = (p: Promise<unknown>) => rejectionOf(p, SlackApiError)

describe('slack review poster', () => {
  it('throws a retryable throttle error with retryAfterMs on 429, then posts once Slack recovers', async () => {
    const { sim, slack } = await poster()
    sim.failNext('chat.postMessage', { status: 429, retryAfterSec: 7 })
    const err = await failure(slack.postReviewItem(commentItem()))
    expect(err).toMatchObject({ code: 'platform_throttled', retryable: true, retryAfterMs: 7000 })
    // @NOTE the client must not have retried on its own: the queue owns retries
    expect(sim.calls('chat.postMessage')).toHaveLength(1)
    expect(sim.messages).toEqual([])

    const posted = await slack.postReviewItem(commentItem())
    expect(posted.channel).toBe('C0REVIEW')
    expect(sim.message(posted.channel, posted.ts)).toBeDefined()
  })

  it('throws a retryable unavailable error when Slack cannot be reached, and posts after the outage', async () => {
    const { sim, slack } = await poster()
    sim.setOutage(true)
    const err = await failure(slack.postReviewItem(commentItem()))
    expect(err).toMatchObject({ code: 'platform_unavailable', retryable: true, retryAfterMs: null })
    sim.failNext('chat.postMessage', { status: 500 })
    sim.setOutage(false)
    const err500 = await failure(slack.postReviewItem(commentItem()))
    expect(err500).toMatchObject({ code: 'platform_unavailable', retryable: true })
    await expect(slack.postReviewItem(commentItem())).resolves.toMatchObject({
      channel: 'C0REVIEW',
    })
    expect(sim.messages).toHaveLength(1)
  })

  it('throws a non-retryable error when the bot is not in the channel or its token is revoked', async () => {
    const { sim, slack } = await poster()
    sim.failNext('chat.postMessage', { slackError: 'not_in_channel' })
    sim.failNext('chat.postMessage', { slackError: 'token_revoked' })
    const notIn = await failure(slack.postReviewItem(commentItem()))
    const revoked = await failure(slack.postReviewItem(commentItem()))
    expect([notIn.code, notIn.retryable, notIn.slackError]).toEqual([
      'platform_forbidden',
      false,
      'not_in_channel',
    ])
    expect([revoked.code, revoked.retryable]).toEqual(['platform_token_invalid', false])
  })

  it('posts alerts as a simple message without buttons', async () => {
    const { sim, slack } = await poster()
    const item = commentItem({
      kind: 'token_alert',
      summary: 'The Page token expires in 3 days.',
      urgent: true,
    })
    const at = await slack.postReviewItem(item)
    const msg = sim.message(at.channel, at.ts)!
    expect(JSON.stringify(msg.blocks)).toContain('The Page token expires in 3 days.')
    expect(msg.blocks.some((b) => b.type === 'actions')).toBe(false)
    expect(msg.text).toBe('URGENT Access token problem: Cllr Jane Doe')
  })

  it('fails start with a token error when auth.test rejects the bot token', async () => {
    sim = await startSlackSim({ botToken: 'xoxb-the-real-one' })
    const slack = createReviewApp({
      token: botToken,
      signingSecret,
      slackApiUrl: sim.url,
      deps: fakeReview([], {}),
    })
    const err = await failure(slack.start())
    expect(err).toMatchObject({ code: 'platform_token_invalid', retryable: false })
  })
})
