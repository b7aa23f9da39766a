import { describe, expect, it } from 'vitest'
import { getSnapshot } from '../../src/audit/index.js'
import { RetentionScheduler } from '../../src/web/retention.js'
import { MODERATOR, REVIEW_CHANNEL, waitFor } from '../helpers/harness.js'
import { useSlackDesk } from '../helpers/slack-desk.js'

describe('retention reaches the Slack review messages', () => {
  const desk = useSlackDesk('retention')

  it('rewrites the message without the text or the matched words once the text is purged, keeping the decision and link', async () => {
    const text = 'Cllr Okafor is on the take from the bus company.'
    const { h, slack } = desk
    const [id] = (await h.deliver([{ text, author: 'Rita Rumour' }])).ids as [string]
    const subjectKey = `facebook.${id}`
    const message = await desk.posted(subjectKey)
    expect(JSON.stringify(message.blocks)).toContain(text)
    // decided (kept up), so the review is closed and its text falls under retention
    await desk.click('keep', subjectKey, message.ts)
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
