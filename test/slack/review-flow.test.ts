import { afterEach, describe, expect, it } from 'vitest'
import type { ReviewItem } from '../../src/connectors/slack/types.js'
import { commentItem } from './fake-review.js'
import { type HttpHarness, httpHarness } from './setup.js'

const admin = 'U0ADMIN1'
const admin2 = 'U0ADMIN2'
const stranger = 'U0STRANGER'

let h: HttpHarness | null = null
afterEach(async () => {
  await h?.close()
  h = null
})

async function setup(item: ReviewItem = commentItem()) {
  h = await httpHarness([item], { [item.accountId]: [admin, admin2] })
  const at = await h.post(item)
  return { h, item, at }
}

const blocksOf = (h: HttpHarness, at: { channel: string; ts: string }) =>
  JSON.stringify(h.sim.message(at.channel, at.ts)?.blocks ?? [])

describe('slack review flow', () => {
  it('posts a message with the comment, author, categories, matched words and five buttons when an item is posted', async () => {
    const { h, at } = await setup()
    const msg = h.sim.message(at.channel, at.ts)!
    expect(at.channel).toBe('C0REVIEW')
    const json = JSON.stringify(msg.blocks)
    expect(json).toContain('You are a liar and everyone on Elm Road knows it')
    expect(json).toContain('<https://www.facebook.com/pat|Pat Example>')
    expect(json).toContain('(2 strikes)')
    expect(json).toContain('harassment, defamation')
    expect(json).toContain(": 'liar'")
    expect(json).toContain('waited 12 min')
    const actions = msg.blocks.find((b) => b.type === 'actions') as {
      elements: { action_id: string }[]
    }
    expect(actions.elements.map((e) => e.action_id)).toEqual([
      'review_hide',
      'review_remove',
      'review_keep',
      'review_ban',
      'review_escalate',
    ])
  })

  it('opens a modal, records the explanation and replaces the buttons when an admin removes a comment', async () => {
    const { h, item, at } = await setup()
    const res = await h.click(admin, 'remove', item, at)
    expect(res.status).toBe(200)
    await h.settle()
    expect(h.review.decideCalls).toEqual([])
    const view = h.sim.views[0]!
    expect(JSON.stringify(view.view)).toContain('deleted from Facebook')

    const sub = await h.submit(admin, view, '  Accuses a named resident of lying; defamatory.  ')
    expect([sub.status, await sub.text()]).toEqual([200, ''])
    await h.settle()
    expect(h.review.decideCalls).toEqual([
      {
        subjectKey: item.subjectKey,
        verdict: 'remove',
        explanation: 'Accuses a named resident of lying; defamatory.',
        slackUserId: admin,
        slackUserName: admin.toLowerCase(),
        dedupeKey: `slack.view.${view.id}`,
        channel: at.channel,
        messageTs: at.ts,
        replyWithExplanation: false,
      },
    ])
    const updated = blocksOf(h, at)
    expect(updated).toContain(`Deleted from Facebook* by <@${admin}>`)
    expect(updated).toContain('Accuses a named resident of lying; defamatory.')
    expect(updated).not.toContain('"type":"actions"')
  })

  it('keeps the modal open with an error and decides nothing when the explanation is blank', async () => {
    const { h, item, at } = await setup()
    await h.click(admin, 'ban', item, at)
    await h.settle()
    for (const blank of ['', '   \n ', null]) {
      const res = await h.submit(admin, h.sim.views[0]!, blank)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({
        response_action: 'errors',
        errors: { explanation: expect.stringContaining('explain why') },
      })
    }
    await h.settle()
    expect(h.review.decideCalls).toEqual([])
    expect(h.sim.message(at.channel, at.ts)!.updates).toBe(0)
  })

  it('refuses an explanation without real words: invisible characters, a dot, punctuation', async () => {
    const { h, item, at } = await setup()
    await h.click(admin, 'ban', item, at)
    await h.settle()
    for (const empty of ['\u200b', '.', '\u200b\u200d\u2060 ', '!!! ?? …', 'ok ok']) {
      const res = await h.submit(admin, h.sim.views[0]!, empty)
      expect(await res.json()).toEqual({
        response_action: 'errors',
        errors: { explanation: expect.stringContaining('explain why') },
      })
    }
    await h.settle()
    expect(h.review.decideCalls).toEqual([])
    const ok = await h.submit(admin, h.sim.views[0]!, 'Repeated slurs')
    expect(ok.status).toBe(200)
    await h.settle()
    expect(h.review.decideCalls.map((d) => d.explanation)).toEqual(['Repeated slurs'])
  })

  it('answers a non-moderator with an ephemeral refusal and decides nothing', async () => {
    const { h, item, at } = await setup()
    await h.click(stranger, 'hide', item, at)
    await h.click(stranger, 'remove', item, at)
    await h.settle()
    expect(h.review.decideCalls).toEqual([])
    expect(h.sim.views).toEqual([])
    expect(h.review.refusals).toEqual([
      { subjectKey: item.subjectKey, slackUserId: stranger, verdict: 'hide' },
      { subjectKey: item.subjectKey, slackUserId: stranger, verdict: 'remove' },
    ])
    expect(h.sim.ephemerals).toHaveLength(2)
    expect(h.sim.ephemerals[0]).toMatchObject({ channel: at.channel, user: stranger })
    expect(h.sim.ephemerals[0]!.text).toContain('Only the moderators of Cllr Jane Doe')
    expect(h.sim.message(at.channel, at.ts)!.updates).toBe(0)
  })

  it('decides at once and updates the message when an admin hides', async () => {
    const { h, item, at } = await setup()
    await h.click(admin, 'hide', item, at, { actionTs: '1763632320.000100' })
    await h.settle()
    expect(h.review.decideCalls).toMatchObject([
      { verdict: 'hide', explanation: null, dedupeKey: `slack.action.${admin}.1763632320.000100` },
    ])
    expect(h.sim.views).toEqual([])
    const updated = blocksOf(h, at)
    expect(updated).toContain(`*Hidden* by <@${admin}>`)
    expect(updated).not.toContain('"type":"actions"')
  })

  it('asks for an explanation before unhiding when the comment is hidden, but not when it is visible', async () => {
    const { h, item, at } = await setup(commentItem({ hidden: true }))
    await h.click(admin, 'keep', item, at)
    await h.settle()
    expect(h.sim.views).toHaveLength(1)
    expect(h.review.decideCalls).toEqual([])

    const visible = commentItem({ subjectKey: 'facebook.555_666' })
    h.review.items.set(visible.subjectKey, visible)
    const at2 = await h.post(visible)
    await h.click(admin, 'keep', visible, at2)
    await h.settle()
    expect(h.sim.views).toHaveLength(1)
    expect(h.review.decideCalls).toMatchObject([
      { subjectKey: visible.subjectKey, verdict: 'keep' },
    ])
  })

  it('passes the same dedupe key to decide when Slack redelivers the same interaction', async () => {
    const { h, item, at } = await setup()
    await h.click(admin, 'escalate', item, at, { actionTs: '1763632399.000200' })
    await h.click(admin, 'escalate', item, at, { actionTs: '1763632399.000200', retryNum: 1 })
    await h.settle()
    const keys = h.review.decideCalls.map((d) => d.dedupeKey)
    expect(keys).toEqual([
      `slack.action.${admin}.1763632399.000200`,
      `slack.action.${admin}.1763632399.000200`,
    ])
    expect(h.review.decisions.size).toBe(1)
    expect(h.sim.ephemerals).toEqual([])

    await h.click(admin2, 'remove', item, at)
    await h.settle()
    const view = h.sim.views[0]!
    await h.submit(admin2, view, 'Threatening')
    await h.submit(admin2, view, 'Threatening', { retryNum: 1 })
    await h.settle()
    expect(h.review.decideCalls.slice(2).map((d) => d.dedupeKey)).toEqual([
      `slack.view.${view.id}`,
      `slack.view.${view.id}`,
    ])
  })

  it('tells the second of two admins clicking at once that it is already decided', async () => {
    const { h, item, at } = await setup()
    let open = () => {}
    h.review.gate = new Promise<void>((r) => {
      open = r
    })
    await Promise.all([h.click(admin, 'hide', item, at), h.click(admin2, 'hide', item, at)])
    await new Promise((r) => setTimeout(r, 50))
    expect(h.review.decideCalls).toHaveLength(2)
    open()
    await h.settle()
    const winner = h.review.decisions.get(item.subjectKey)!.slackUserId
    const loser = winner === admin ? admin2 : admin
    expect(h.sim.ephemerals).toEqual([
      {
        channel: at.channel,
        user: loser,
        text: `Already decided by <@${winner}>: Hidden. Your choice was not applied.`,
      },
    ])
    expect(h.sim.message(at.channel, at.ts)!.updates).toBe(1)
    expect(blocksOf(h, at)).toContain(`*Hidden* by <@${winner}>`)
  })

  it('says the form could not open when the trigger expired before views.open', async () => {
    const { h, item, at } = await setup()
    h.sim.failNext('views.open', { slackError: 'expired_trigger_id' })
    await h.click(admin, 'remove', item, at)
    await h.settle()
    expect(h.sim.ephemerals.map((e) => e.text)).toEqual([
      'The form could not be opened in time. Please click again.',
    ])
    expect(h.review.decideCalls).toEqual([])
  })

  it('passes the account reply flag through with the decision and says so in the modal', async () => {
    const { h, item, at } = await setup(commentItem({ replyWithExplanation: true }))
    await h.click(admin, 'remove', item, at)
    await h.settle()
    expect(JSON.stringify(h.sim.views[0]!.view)).toContain('posted as a reply to the author')
    await h.submit(admin, h.sim.views[0]!, 'Personal abuse')
    await h.settle()
    expect(h.review.decideCalls).toMatchObject([
      { explanation: 'Personal abuse', replyWithExplanation: true },
    ])
  })

  it('tells the admin to try again and leaves the buttons when the decision cannot be recorded', async () => {
    const { h, item, at } = await setup()
    h.review.decide = async () => {
      throw new Error('database is down')
    }
    await h.click(admin, 'hide', item, at)
    await h.settle()
    expect(h.sim.ephemerals.map((e) => e.text)).toEqual([
      'Your decision could not be recorded, so nothing was done. Please try again.',
    ])
    expect(h.sim.message(at.channel, at.ts)!.updates).toBe(0)
  })
})
