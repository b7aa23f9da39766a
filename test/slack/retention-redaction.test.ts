import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getSnapshot } from '../../src/audit/index.js'
import { actionIdFor } from '../../src/connectors/slack/blocks.js'
import { RetentionScheduler } from '../../src/web/retention.js'
import {
  type Harness,
  MODERATOR,
  REVIEW_CHANNEL,
  startHarness,
  waitFor,
} from '../helpers/harness.js'
import {
  blockActionsPayload,
  type SlackSim,
  sendInteraction,
  startSlackSim,
} from '../simulators/slack-sim.js'

const BOT = 'xoxb-retention-bot'
const SIGNING = 'retention-signing-secret'

describe('retention reaches the Slack review messages', () => {
  let h: Harness
  let slack: SlackSim
  beforeAll(async () => {
    slack = await startSlackSim({ botToken: BOT })
    h = await startHarness({
      env: { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: slack.url },
    })
  })
  afterAll(async () => {
    await h?.stop()
    await slack?.close()
  })

  it('rewrites the message without the text or the matched words once the text is purged, keeping the decision and link', async () => {
    const text = 'Cllr Okafor is on the take from the bus company.'
    const [id] = (await h.deliver([{ text, author: 'Rita Rumour' }])).ids as [string]
    const subjectKey = `facebook.${id}`
    const message = await waitFor(
      async () =>
        slack.messages.find((m) => JSON.stringify(m.blocks).includes(`ref ${subjectKey}`)),
      Boolean,
    )
    if (!message) throw new Error('no review message')
    expect(JSON.stringify(message.blocks)).toContain(text)
    // decided (kept up), so the review is closed and its text falls under retention
    await sendInteraction(
      `${h.service.url}/slack/events`,
      blockActionsPayload({
        userId: MODERATOR,
        channel: REVIEW_CHANNEL,
        messageTs: message.ts,
        actionId: actionIdFor('keep'),
        value: subjectKey,
        triggerId: slack.issueTrigger(),
      }),
      { signingSecret: SIGNING },
    )
    await waitFor(
      async () => JSON.stringify(slack.message(REVIEW_CHANNEL, message.ts)?.blocks),
      (b) => b.includes('Kept up'),
    )

    // the same wiring as the service's daily run, a year later
    const retention = new RetentionScheduler({
      db: h.service.db,
      rules: { allowedDays: 30, removedDays: 365 },
      now: () => new Date(Date.now() + 400 * 86_400_000),
      onPurged: (keys, eventId) => h.service.pipeline.followUps.refresh(keys, eventId),
    })
    const run = await retention.runNow()
    expect(run?.purged).toBeGreaterThanOrEqual(1)
    expect((await getSnapshot(h.service.db, subjectKey))?.text).toBeNull()

    const redacted = await waitFor(
      async () => JSON.stringify(slack.message(REVIEW_CHANNEL, message.ts)?.blocks),
      (b) => b.includes('purged under the retention policy'),
    )
    expect(redacted).not.toContain(text)
    expect(redacted).not.toContain('on the take')
    expect(redacted).not.toContain('Rita Rumour')
    expect(redacted).toContain(`*Kept up* by <@${MODERATOR}>`)
    expect(redacted).toContain('open the comment')
    await retention.stop()
  })
})
