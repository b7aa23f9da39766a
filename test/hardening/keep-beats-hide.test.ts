import { describe, expect, it } from 'vitest'
import { eventsForSubject, getStatus } from '../../src/audit/index.js'
import { MODERATOR, waitFor } from '../helpers/harness.js'
import { useSlackDesk } from '../helpers/slack-desk.js'
import { sendInteraction, viewSubmissionPayload } from '../simulators/slack-sim.js'

/** Issue 11, item 4: a person's Keep beats the policy's hide that is still in the queue. */
describe('Keep while the automatic hide is queued', () => {
  const desk = useSlackDesk('keep')

  it('asks for an explanation, cancels the queued hide, and leaves the comment visible', async () => {
    const { h, slack } = desk
    const act = h.service.pipeline.queues.actFacebook
    await act.pause()
    const [id] = (await h.deliver([{ text: 'Someone should put a bullet in that councillor' }]))
      .ids as [string]
    const subjectKey = `facebook.${id}`
    const message = await desk.posted(subjectKey)
    const viewsBefore = slack.views.length

    const clicked = await desk.click('keep', subjectKey, message.ts)
    expect(clicked.status).toBe(200)
    // a reversal of the policy's hide: the explanation form opens instead of deciding at once
    const view = await waitFor(async () => slack.views[viewsBefore], Boolean)
    if (!view) throw new Error('Keep did not ask for an explanation')
    // a threat is escalated to the safety contact automatically (issue 13), and still waits for a decision
    expect((await getStatus(h.service.db, subjectKey))?.reviewState).toBe('escalated')
    const submitted = await sendInteraction(
      `${h.service.url}/slack/events`,
      viewSubmissionPayload({
        userId: MODERATOR,
        view,
        values: {
          explanation: {
            text: {
              type: 'plain_text_input',
              value: 'A quote from the film they were discussing.',
            },
          },
        },
      }),
      { signingSecret: desk.signing },
    )
    expect(submitted.status).toBe(200)
    await waitFor(
      () => eventsForSubject(h.service.db, subjectKey),
      (e) => e.some((x) => x.type === 'review.resolved'),
    )
    await act.resume()

    const events = await waitFor(
      () => eventsForSubject(h.service.db, subjectKey),
      (e) =>
        e.some((x) => x.type === 'action.cancelled') &&
        e.some((x) => x.type === 'action.applied' && x.meta.action === 'unhide'),
    )
    const cancelled = events.find((e) => e.type === 'action.cancelled')
    expect(cancelled?.meta.action).toBe('hide')
    expect(events.find((e) => e.type === 'review.resolved')?.reason).toBe(
      'A quote from the film they were discussing.',
    )
    // the platform was never asked to hide it, and it is visible
    const hides = h.graph.requests.filter(
      (r) =>
        r.method === 'POST' && r.path.endsWith(`/${id}`) && String(r.body.is_hidden) === 'true',
    )
    expect(hides).toEqual([])
    expect(h.graph.state.comment(id)?.isHidden).toBe(false)
    expect((await getStatus(h.service.db, subjectKey))?.visibility).toBe('visible')
  }, 60_000)
})
