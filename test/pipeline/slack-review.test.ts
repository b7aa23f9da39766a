import { describe, expect, it } from 'vitest'
import { eventsForSubject } from '../../src/audit/index.js'
import { actionIdFor } from '../../src/connectors/slack/blocks.js'
import type { Verdict } from '../../src/connectors/slack/types.js'
import { MODERATOR, MODERATOR2, PAGE_ID, REVIEW_CHANNEL, waitFor } from '../helpers/harness.js'
import { useSlackDesk } from '../helpers/slack-desk.js'
import {
  blockActionsPayload,
  sendInteraction,
  viewSubmissionPayload,
} from '../simulators/slack-sim.js'

describe('Slack review through the whole service', () => {
  const desk = useSlackDesk('it')

  const url = () => `${desk.h.service.url}/slack/events`
  const click = (user: string, verdict: Verdict, subjectKey: string, ts: string) =>
    desk.click(verdict, subjectKey, ts, user)

  async function postedFor(text: string) {
    const [id] = (await desk.h.deliver([{ text, author: 'Rita Rumour' }])).ids as [string]
    const subjectKey = `facebook.${id}`
    return { id, subjectKey, message: await desk.posted(subjectKey) }
  }

  it('posts, takes Remove with an explanation, deletes at the Page and records who and why', async () => {
    const { id, subjectKey, message } = await postedFor(
      'Cllr Okafor has been stealing from the ward budget for years, everyone knows it.',
    )
    expect(message.channel).toBe(REVIEW_CHANNEL)
    expect(JSON.stringify(message.blocks)).toContain('Rita Rumour')
    expect(JSON.stringify(message.blocks)).toContain('defamation')

    expect((await click(MODERATOR, 'remove', subjectKey, message.ts)).status).toBe(200)
    const view = await waitFor(async () => desk.slack.views.at(-1), Boolean)
    if (!view) throw new Error('no modal opened')
    const submitted = await sendInteraction(
      url(),
      viewSubmissionPayload({
        userId: MODERATOR,
        view,
        values: {
          explanation: { text: { type: 'plain_text_input', value: 'Unfounded theft allegation.' } },
        },
      }),
      { signingSecret: desk.signing },
    )
    expect(submitted.status).toBe(200)

    await waitFor(async () => desk.h.graph.state.comment(id)?.deleted, Boolean)
    expect(desk.h.graph.state.comment(id)?.deleted).toBe(true)
    // the account posts the explanation back: under the post, as the comment itself is gone
    const postId = desk.h.graph.state.comment(id)?.postId
    const explained = await waitFor(
      async () =>
        [...desk.h.graph.state.comments.values()].find(
          (c) =>
            c.postId === postId &&
            c.from.id === PAGE_ID &&
            c.message === 'Unfounded theft allegation.',
        ),
      Boolean,
    )
    expect(explained?.parentId).toBe(postId)
    const events = await waitFor(
      () => eventsForSubject(desk.h.service.db, subjectKey),
      (e) => e.some((x) => x.type === 'action.applied'),
    )
    const resolved = events.find((e) => e.type === 'review.resolved')
    expect(resolved?.reason).toBe('Unfounded theft allegation.')
    expect(resolved?.actor).toEqual({ kind: 'moderator', id: `slack/${MODERATOR}` })
    const applied = await waitFor(
      async () =>
        (await eventsForSubject(desk.h.service.db, subjectKey)).filter(
          (e) => e.type === 'action.applied',
        ),
      (a) => a.length === 2,
    )
    expect(applied.map((e) => e.meta.action).sort()).toEqual(['delete', 'reply'])
    const updated = await waitFor(
      async () => desk.slack.message(REVIEW_CHANNEL, message.ts),
      (m) => (m?.updates ?? 0) > 0,
    )
    expect(JSON.stringify(updated?.blocks)).toContain('Unfounded theft allegation.')
    expect(JSON.stringify(updated?.blocks)).not.toContain(actionIdFor('remove'))
  })

  it('refuses someone who is not a moderator of the account and changes nothing', async () => {
    const { id, subjectKey, message } = await postedFor(
      'Cllr Okafor fiddled his expenses, I have proof.',
    )
    expect((await click('U0STRANGER', 'hide', subjectKey, message.ts)).status).toBe(200)
    await waitFor(async () => desk.slack.ephemerals.find((e) => e.user === 'U0STRANGER'), Boolean)
    expect(desk.slack.ephemerals.some((e) => e.user === 'U0STRANGER')).toBe(true)
    await new Promise((r) => setTimeout(r, 500))
    const events = await eventsForSubject(desk.h.service.db, subjectKey)
    expect(events.some((e) => e.type === 'review.resolved')).toBe(false)
    expect(desk.h.graph.state.comment(id)?.isHidden).toBe(false)
  })

  it('lets the first of two admins win', async () => {
    const { subjectKey, message } = await postedFor(
      'Cllr Okafor is on the take from the bus company.',
    )
    const [a, b] = await Promise.all([
      click(MODERATOR, 'hide', subjectKey, message.ts),
      click(MODERATOR2, 'keep', subjectKey, message.ts),
    ])
    expect(a.status).toBe(200)
    expect(b.status).toBe(200)
    const events = await waitFor(
      () => eventsForSubject(desk.h.service.db, subjectKey),
      (e) => e.some((x) => x.type === 'review.resolved'),
    )
    await new Promise((r) => setTimeout(r, 500))
    const after = await eventsForSubject(desk.h.service.db, subjectKey)
    expect(after.filter((e) => e.type === 'review.resolved')).toHaveLength(1)
    const winner = events.find((e) => e.type === 'review.resolved')?.actor.id
    const loser = winner === `slack/${MODERATOR}` ? MODERATOR2 : MODERATOR
    // the loser is told who decided first
    await waitFor(async () => desk.slack.ephemerals.find((e) => e.user === loser), Boolean)
    expect(desk.slack.ephemerals.find((e) => e.user === loser)?.text).toMatch(/already/i)
  })

  it('refuses an interaction with a bad signature', async () => {
    const res = await sendInteraction(
      url(),
      blockActionsPayload({
        userId: MODERATOR,
        channel: REVIEW_CHANNEL,
        messageTs: '1.2',
        actionId: actionIdFor('hide'),
        value: 'facebook.nothing',
        triggerId: desk.slack.issueTrigger(),
      }),
      { signingSecret: 'not-the-secret' },
    )
    expect(res.status).toBe(401)
  })
})
