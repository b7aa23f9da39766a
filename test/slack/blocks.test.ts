import { describe, expect, it } from 'vitest'
import { decidedMessage, reviewMessage } from '../../src/connectors/slack/blocks.js'
import { formatWait } from '../../src/connectors/slack/format.js'
import { explainModal, needsExplanation } from '../../src/connectors/slack/modal.js'
import type { ReviewItem, Verdict } from '../../src/connectors/slack/types.js'
import { commentItem } from './fake-review.js'

const now = new Date('2026-11-20T10:12:00.000Z')
const json = (v: unknown) => JSON.stringify(v)
const buttonLabels = (item: ReviewItem) => {
  const actions = reviewMessage(item, now).blocks.find((b) => b.type === 'actions')
  return actions && 'elements' in actions
    ? actions.elements.map((e) => ('text' in e ? e.text?.text : ''))
    : []
}

describe('slack blocks', () => {
  it('marks threats and safeguarding concerns urgent even when the item flag is off', () => {
    for (const category of ['threat', 'safeguarding']) {
      const msg = reviewMessage(commentItem({ categories: [category], urgent: false }), now)
      expect(msg.text).toMatch(/^URGENT /)
      expect(json(msg.blocks[0])).toContain(':rotating_light: *URGENT*')
    }
    const routine = reviewMessage(commentItem(), now)
    expect(routine.text).not.toContain('URGENT')
    expect(json(routine.blocks)).not.toContain('URGENT')
  })

  it('keeps the comment text out of the notification text', () => {
    const msg = reviewMessage(commentItem(), now)
    expect(msg.text).toBe(
      'Review needed: Facebook comment on Cllr Jane Doe (harassment, defamation)',
    )
  })

  it('labels the buttons for what each platform, tier and state allows, five at most', () => {
    expect(buttonLabels(commentItem())).toEqual([
      'Hide',
      'Delete',
      'Keep up',
      'Ban author',
      'Escalate',
    ])
    expect(buttonLabels(commentItem({ state: 'hidden', hidden: true }))).toEqual([
      'Keep hidden',
      'Delete',
      'Unhide',
      'Ban author',
      'Escalate',
    ])
    // X cannot delete a reply: Remove would be a second Hide, so it is not offered
    expect(buttonLabels(commentItem({ platform: 'x', hidden: true }))).toEqual([
      'Keep hidden',
      'Unhide',
      'Mute author',
      'Escalate',
    ])
    expect(buttonLabels(commentItem({ platform: 'x', banEffect: 'block' }))).toEqual([
      'Hide',
      'Keep up',
      'Block author',
      'Escalate',
    ])
    expect(buttonLabels(commentItem({ state: 'deleted' }))).toEqual([
      'Close',
      'Ban author',
      'Escalate',
    ])
  })

  it('shows the comment verbatim but escapes names and refuses odd links', () => {
    const item = commentItem({
      text: 'Hey <!channel> *look* & see',
      author: { id: 'p1', name: 'Bob <!here>', profileUrl: 'javascript:alert(1)', strikes: 1 },
    })
    const blocks = json(reviewMessage(item, now).blocks)
    expect(blocks).toContain('"text":"Hey <!channel> *look* & see"')
    expect(blocks).toContain('Bob &lt;!here&gt; (1 strike)')
    expect(blocks).not.toContain('javascript:')
  })

  it('says the text was purged when retention removed it', () => {
    const blocks = json(reviewMessage(commentItem({ text: null }), now).blocks)
    expect(blocks).toContain('The text was purged under the retention policy.')
  })

  it('keeps a very long comment within Slack limits', () => {
    const msg = reviewMessage(
      commentItem({ text: 'a'.repeat(10_000), accountName: 'N'.repeat(300) }),
      now,
    )
    const quote = json(msg.blocks).match(/"text":"(a+…)"/)?.[1]
    expect(quote?.length).toBeGreaterThan(2000)
    expect(quote?.length).toBeLessThanOrEqual(3000)
    const top = msg.blocks[0] as { type: string; text: { text: string } }
    expect([top.type, top.text.text.length <= 3000]).toEqual(['section', true])
  })

  it('builds alerts without any buttons', () => {
    const msg = reviewMessage(
      commentItem({ kind: 'pile_on', summary: '14 new comments in 10 minutes on one post' }),
      now,
    )
    expect(msg.blocks.some((b) => b.type === 'actions')).toBe(false)
    expect(json(msg.blocks)).toContain('14 new comments in 10 minutes on one post')
    expect(msg.text).toBe('Pile-on: Cllr Jane Doe')
  })

  it('replaces the buttons with who decided what and why once decided', () => {
    const msg = decidedMessage(commentItem({ platform: 'x' }), {
      verdict: 'ban',
      by: 'U0ADMIN1',
      explanation: 'Third insult this week',
      at: now,
    })
    const blocks = json(msg.blocks)
    expect(msg.blocks.some((b) => b.type === 'actions')).toBe(false)
    expect(blocks).toContain('*Author muted on X (blocking needs X Enterprise)* by <@U0ADMIN1>')
    const blocked = decidedMessage(commentItem({ platform: 'x', banEffect: 'block' }), {
      verdict: 'ban',
      by: 'U0ADMIN1',
      explanation: 'Third insult this week',
      at: now,
    })
    expect(json(blocked.blocks)).toContain('*Author blocked on X* by <@U0ADMIN1>')
    expect(blocks).toContain('Third insult this week')
    expect(blocks).toContain('You are a liar')
  })

  it('shows the state the comment is in now, and what the decision still has to do', () => {
    const state = (item: ReviewItem, verdict: Verdict) =>
      json(decidedMessage(item, { verdict, by: 'U0ADMIN1', explanation: 'why', at: now }).blocks)
    const visibleFb = commentItem({ platform: 'facebook', hidden: false })
    expect(state(visibleFb, 'remove')).toContain('visible on Facebook now')
    expect(state(visibleFb, 'remove')).toContain('Deleting on Facebook')
    const deleted = commentItem({ state: 'deleted' })
    expect(state(deleted, 'remove')).toContain('deleted on Facebook now')
    expect(state(deleted, 'remove')).not.toContain('Deleting on')
    expect(state(visibleFb, 'hide')).toContain('Hiding on Facebook')
    expect(state(commentItem({ platform: 'x', state: 'hidden', hidden: true }), 'keep')).toContain(
      'Unhiding on X',
    )
  })

  it('formats the wait in minutes, hours and days', () => {
    expect([20_000, 12 * 60_000, 185 * 60_000, 50 * 3_600_000].map(formatWait)).toEqual([
      'under a minute',
      '12 min',
      '3 h 5 min',
      '2 d 2 h',
    ])
  })

  it('asks for an explanation for remove, ban and unhiding only', () => {
    const visible = commentItem()
    const hidden = commentItem({ hidden: true })
    const verdicts: Verdict[] = ['remove', 'hide', 'keep', 'ban', 'escalate']
    expect(verdicts.filter((v) => needsExplanation(v, visible))).toEqual(['remove', 'ban'])
    expect(verdicts.filter((v) => needsExplanation(v, hidden))).toEqual(['remove', 'keep', 'ban'])
  })

  it('fits modal titles in 24 characters and says when the explanation goes to the author', () => {
    for (const platform of ['facebook', 'x'] as const) {
      for (const verdict of ['remove', 'ban', 'keep'] as const) {
        const item = commentItem({ platform, hidden: true, replyWithExplanation: true })
        const view = explainModal(item, {
          subjectKey: item.subjectKey,
          verdict,
          channel: 'C1',
          messageTs: '1.1',
        })
        expect(view.title.text.length).toBeLessThanOrEqual(24)
        expect(json(view.blocks)).toContain('posted as a reply to the author')
      }
    }
  })
})
