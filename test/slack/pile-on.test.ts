import { describe, expect, it } from 'vitest'
import { eventsForSubject } from '../../src/audit/index.js'
import { HIDE_ALL_ACTION_ID } from '../../src/connectors/slack/blocks.js'
import { MODERATOR, PAGE_ID, REVIEW_CHANNEL, waitFor } from '../helpers/harness.js'
import { useSlackDesk } from '../helpers/slack-desk.js'
import {
  blockActionsPayload,
  sendInteraction,
  viewSubmissionPayload,
} from '../simulators/slack-sim.js'

describe('a pile-on alert in Slack', () => {
  const desk = useSlackDesk('pile', {
    users: { [MODERATOR]: { name: 'priya', realName: 'Priya Patel', displayName: 'Priya' } },
  })

  it('is recorded with the post link and count, and its one action hides every flagged comment still up', async () => {
    const { h, slack } = desk
    const postId = `${PAGE_ID}_9001`
    // five flagged (sent to review, left up) cross the threshold; criticism on the post is allowed
    const flagged = await h.deliver(
      [
        'Cllr Okafor is on the take from the bus company.',
        'Cllr Okafor fiddled his expenses, I have proof.',
        'Cllr Okafor has been stealing from the ward budget for years.',
        'Cllr Okafor takes bribes from developers, everyone knows.',
        'Cllr Okafor is a crook who rigged the contract.',
      ].map((text) => ({ text, postId })),
    )
    const criticism = await h.deliver([
      { text: 'This council has wasted our money on the bypass. Vote them out.', postId },
    ])
    const subjectKey = `facebook.post.${postId}`
    const alert = await waitFor(
      async () =>
        slack.messages.find((m) => JSON.stringify(m.blocks).includes(`ref ${subjectKey}`)),
      Boolean,
    )
    const json = JSON.stringify(alert?.blocks)
    expect(json).toContain('Pile-on')
    expect(json).toContain('5 flagged comments on one post')
    expect(json).toContain(`https://www.facebook.com/${postId}|Open the post`)
    expect(json).toContain('Hide all flagged on this post')

    // recorded, not failed: the review.posted of an alert about a post has no comment id
    const events = await waitFor(
      () => eventsForSubject(h.service.db, subjectKey),
      (e) => e.some((x) => x.type === 'review.posted'),
    )
    expect(events.map((e) => e.type)).toEqual(['alert.raised', 'review.posted'])
    expect(events[0]?.meta).toMatchObject({ alert: 'pile_on', count: 5 })
    expect((await h.service.pipeline.failedJobs()).byQueue['wg-review'] ?? 0).toBe(0)

    const clicked = await sendInteraction(
      `${h.service.url}/slack/events`,
      blockActionsPayload({
        userId: MODERATOR,
        channel: REVIEW_CHANNEL,
        messageTs: alert?.ts ?? '',
        actionId: HIDE_ALL_ACTION_ID,
        value: subjectKey,
        triggerId: slack.issueTrigger(),
      }),
      { signingSecret: desk.signing },
    )
    expect(clicked.status).toBe(200)
    const view = await waitFor(async () => slack.views.at(-1), Boolean)
    if (!view) throw new Error('no form opened')
    expect(JSON.stringify(view.view)).toContain('5 flagged comments on this post')
    const submitted = await sendInteraction(
      `${h.service.url}/slack/events`,
      viewSubmissionPayload({
        userId: MODERATOR,
        view,
        values: {
          explanation: {
            text: {
              type: 'plain_text_input',
              value: 'Coordinated allegations against a named councillor.',
            },
          },
        },
      }),
      { signingSecret: desk.signing },
    )
    expect(submitted.status).toBe(200)

    const hidden = await waitFor(
      async () => flagged.ids.filter((id) => h.graph.state.comment(id)?.isHidden),
      (ids) => ids.length === 5,
    )
    expect(hidden).toHaveLength(5)
    expect(h.graph.state.comment(criticism.ids[0] ?? '')?.isHidden).toBe(false)

    const resolved = (await eventsForSubject(h.service.db, subjectKey)).find(
      (e) => e.type === 'review.resolved',
    )
    expect(resolved?.reason).toBe('Coordinated allegations against a named councillor.')
    expect(resolved?.actor).toEqual({ kind: 'moderator', id: `slack/${MODERATOR}` })
    expect(resolved?.meta).toMatchObject({ hiddenCount: 5, actorName: 'Priya' })
    const one = await eventsForSubject(h.service.db, `facebook.${flagged.ids[0]}`)
    expect(one.find((e) => e.type === 'action.applied')?.actor.id).toBe(`slack/${MODERATOR}`)

    const updated = await waitFor(
      async () => slack.message(REVIEW_CHANNEL, alert?.ts ?? ''),
      (m) => JSON.stringify(m?.blocks).includes('Hid 5 flagged comments'),
    )
    expect(JSON.stringify(updated?.blocks)).not.toContain(HIDE_ALL_ACTION_ID)
  })
})
