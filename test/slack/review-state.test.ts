import { describe, expect, it } from 'vitest'
import { eventsForSubject } from '../../src/audit/index.js'
import type { Verdict } from '../../src/connectors/slack/types.js'
import { APP_SECRET, MODERATOR, waitFor, X_USER_ID } from '../helpers/harness.js'
import { useSlackDesk } from '../helpers/slack-desk.js'
import { facebookCommentBody, sendFacebookWebhook } from '../simulators/graph-sim.js'
import { type SimMessage, sendInteraction, viewSubmissionPayload } from '../simulators/slack-sim.js'

type Button = { action_id: string; text: { text: string } }
const buttonsOf = (m: SimMessage | undefined): string[] => {
  const actions = m?.blocks.find((b) => b.type === 'actions') as { elements: Button[] } | undefined
  return actions?.elements.map((e) => e.text.text) ?? []
}
const topLineOf = (m: SimMessage | undefined): string =>
  String((m?.blocks[0] as { text?: { text?: string } } | undefined)?.text?.text ?? '')

describe('review messages tell the comment state as it is, and follow it', () => {
  const desk = useSlackDesk('state')

  const url = () => `${desk.h.service.url}/slack/events`
  const click = (verdict: Verdict, subjectKey: string, ts: string) => {
    viewsBefore = desk.slack.views.length
    return desk.click(verdict, subjectKey, ts)
  }
  let viewsBefore = 0
  /** the form the last click opened */
  const opened = () =>
    waitFor(
      async () => desk.slack.views[viewsBefore],
      (v) => v !== undefined,
    )
  const submit = async (explanation: string) => {
    const view = await opened()
    if (!view) throw new Error('no modal opened')
    return sendInteraction(
      url(),
      viewSubmissionPayload({
        userId: MODERATOR,
        view,
        values: { explanation: { text: { type: 'plain_text_input', value: explanation } } },
      }),
      { signingSecret: desk.signing },
    )
  }
  const messageFor = (subjectKey: string) =>
    // the comment's own message (it quotes the comment), not an alert about it
    desk.slack.messages.find((m) => {
      const json = JSON.stringify(m.blocks)
      return json.includes(`ref ${subjectKey}`) && json.includes('"rich_text_quote"')
    })
  const until = (subjectKey: string, done: (m: SimMessage) => boolean) =>
    waitFor(
      async () => messageFor(subjectKey),
      (m) => m !== undefined && done(m),
    )

  async function posted(text: string) {
    const [id] = (await desk.h.deliver([{ text, author: 'Sam Sender' }])).ids as [string]
    const subjectKey = `facebook.${id}`
    const message = await until(subjectKey, () => true)
    if (!message) throw new Error('no review message was posted')
    return { id, subjectKey, message }
  }
  const echo = (id: string, verb: 'hide' | 'remove') => {
    const c = desk.h.graph.state.comment(id)
    if (!c) throw new Error('no such comment')
    return sendFacebookWebhook(
      `${desk.h.service.url}/webhooks/facebook`,
      facebookCommentBody([c], { verb }),
      APP_SECRET,
    )
  }

  it('says hidden for a comment the policy hid, with Keep hidden and Unhide, never "Keep up"', async () => {
    const { id, subjectKey } = await posted("I'm going to kick your head in, Cllr Test")
    expect(await waitFor(async () => desk.h.graph.state.comment(id)?.isHidden, Boolean)).toBe(true)
    const m = await until(subjectKey, (x) => topLineOf(x).includes(':see_no_evil: hidden'))
    expect(topLineOf(m)).toContain(':see_no_evil: hidden on Facebook now')
    expect(buttonsOf(m)).toEqual(expect.arrayContaining(['Keep hidden', 'Delete', 'Unhide']))
    expect(buttonsOf(m)).not.toContain('Keep up')
    expect(buttonsOf(m).length).toBeLessThanOrEqual(5)
    // threats escalate by themselves; with nobody to mail (no safety contact, no SMTP here) the
    // message says so and the channel gets an alert, so a person tells them instead
    const warned = await until(subjectKey, (x) =>
      JSON.stringify(x.blocks).includes('the mail could not be sent'),
    )
    expect(buttonsOf(warned)).not.toContain('Escalate')
    const alert = await waitFor(
      async () => desk.slack.messages.find((x) => x.text.includes('Platform problem')),
      Boolean,
    )
    expect(JSON.stringify(alert?.blocks)).toContain('Escalation mail not sent')
    // Unhide says what it does, in the button and in the form it opens
    expect((await click('keep', subjectKey, m?.ts ?? '')).status).toBe(200)
    expect(JSON.stringify((await opened())?.view)).toContain('Unhide comment')
  })

  it('says visible for a comment left up, then follows a hide and a deletion made on Facebook itself', async () => {
    const { id, subjectKey, message } = await posted(
      'Cllr Okafor is on the take from the bus company.',
    )
    expect(topLineOf(message)).toContain(':eyes: visible on Facebook now')
    expect(buttonsOf(message)).toEqual(['Hide', 'Delete', 'Keep up', 'Ban author', 'Escalate'])

    expect((await echo(id, 'hide')).status).toBe(200)
    const hidden = await until(subjectKey, (x) => topLineOf(x).includes(':see_no_evil: hidden'))
    expect(buttonsOf(hidden)).toEqual(['Keep hidden', 'Delete', 'Unhide', 'Ban author', 'Escalate'])

    expect((await echo(id, 'remove')).status).toBe(200)
    const deleted = await until(subjectKey, (x) => topLineOf(x).includes('deleted on Facebook'))
    expect(topLineOf(deleted)).toContain(':wastebasket: deleted on Facebook now')
    expect(buttonsOf(deleted)).toEqual(['Close', 'Ban author', 'Escalate'])
  })

  it('shows a deletion as on its way, then as done once Facebook has done it', async () => {
    const { id, subjectKey, message } = await posted(
      'Cllr Okafor fiddled the parking contract, everyone knows it.',
    )
    expect((await click('remove', subjectKey, message.ts)).status).toBe(200)
    expect((await submit('Accuses a named councillor of fraud as fact.')).status).toBe(200)
    await waitFor(async () => desk.h.graph.state.comment(id)?.deleted, Boolean)
    const done = await until(
      subjectKey,
      (x) =>
        topLineOf(x).includes('deleted on Facebook now') &&
        !JSON.stringify(x.blocks).includes('Deleting on'),
    )
    const json = JSON.stringify(done?.blocks)
    expect(json).toContain(`*Deleted from Facebook* by <@${MODERATOR}>`)
    expect(json).toContain('Accuses a named councillor of fraud as fact.')
    expect(buttonsOf(done)).toEqual([])
  })

  it('names the real effect on X: Mute on the basic tier, in the button, the form and the outcome', async () => {
    const post = desk.h.x.state.addTweet({
      authorId: X_USER_ID,
      text: 'Bin collections resume Monday.',
    })
    const troll = desk.h.x.state.addUser({ username: 'serial_pest' })
    const reply = desk.h.x.state.addTweet({
      authorId: troll.id,
      text: '@CllrTest you are a liar and a fraud, Cllr Test',
      replyTo: post.id,
    })
    const subjectKey = `x.${reply.id}`
    const message = await until(subjectKey, () => true)
    expect(buttonsOf(message)).toContain('Mute author')
    expect(buttonsOf(message).join()).not.toMatch(/Block|Ban/)
    expect((await click('ban', subjectKey, message?.ts ?? '')).status).toBe(200)
    const view = await waitFor(
      async () => desk.slack.views.at(-1),
      (v) => JSON.stringify(v).includes('Mute'),
    )
    expect(JSON.stringify(view?.view)).toContain('muted on X')
    expect((await submit('Repeated personal abuse of the councillor.')).status).toBe(200)
    await waitFor(async () => desk.h.x.state.muted.get(X_USER_ID)?.has(troll.id), Boolean)
    expect(desk.h.x.state.muted.get(X_USER_ID)?.has(troll.id)).toBe(true)
    const decided = await until(subjectKey, (x) => JSON.stringify(x.blocks).includes('muted on X'))
    expect(JSON.stringify(decided?.blocks)).toContain(
      '*Author muted on X (blocking needs X Enterprise)*',
    )
    const events = await eventsForSubject(desk.h.service.db, subjectKey)
    expect(events.filter((e) => e.type === 'action.requested').map((e) => e.meta.action)).toContain(
      'mute',
    )
  })
})
