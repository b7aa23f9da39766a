import { describe, expect, it } from 'vitest'
import { getSnapshot, purgesAwaitingRedaction } from '../../src/audit/index.js'
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

  it("redacts the messages of a purge made without Slack at hand (the CLI) at the service's next run, once", async () => {
    const text = 'Cllr Okafor fiddles the mileage claims, everyone knows.'
    const { h, slack } = desk
    const [id] = (await h.deliver([{ text, author: 'Pat Pry' }])).ids as [string]
    const subjectKey = `facebook.${id}`
    const message = await desk.posted(subjectKey)
    await desk.click('keep', subjectKey, message.ts)
    await waitFor(
      async () => JSON.stringify(slack.message(REVIEW_CHANNEL, message.ts)?.blocks),
      (b) => b.includes('Kept up'),
    )
    const later = () => new Date(Date.now() + 400 * 86_400_000)
    const rules = { allowedDays: 30, removedDays: 365 }
    // `wardguard audit purge`: the store only, nothing to queue Slack work with
    const cli = await new RetentionScheduler({ db: h.service.db, rules, now: later }).runNow()
    expect(cli?.purged).toBeGreaterThanOrEqual(1)
    expect((await getSnapshot(h.service.db, subjectKey))?.text).toBeNull()
    expect(JSON.stringify(slack.message(REVIEW_CHANNEL, message.ts)?.blocks)).toContain(text)

    const service = new RetentionScheduler({
      db: h.service.db,
      rules,
      now: later,
      onPurged: (keys, eventId) => h.service.pipeline.followUps.refresh(keys, eventId),
    })
    const run = await service.runNow()
    expect(run?.purged).toBe(0)
    const redacted = await waitFor(
      async () => JSON.stringify(slack.message(REVIEW_CHANNEL, message.ts)?.blocks),
      (b) => b.includes('purged under the retention policy'),
    )
    expect(redacted).not.toContain('mileage')
    expect(redacted).not.toContain('Pat Pry')
    // marked as queued: the next run does not queue it again
    expect(await purgesAwaitingRedaction(h.service.db, later())).toEqual([])
    await service.stop()
  })
})
