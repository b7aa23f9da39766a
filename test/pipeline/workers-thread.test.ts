import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isConnectionLoss } from '../../src/audit/db-errors.js'
import { eventsForSubject, verifyChain } from '../../src/audit/index.js'
import { type Harness, startHarness, waitFor } from '../helpers/harness.js'

const CRITICISM = 'The council leader is useless and should resign over the bin strike.'
const ABUSE = 'shut up you stupid f*cking c.u.n.t'
const ALLEGATION = 'Cllr Pemberton has been pocketing the ward budget for years, ask anyone'

/**
 * Issue 16: by default one process runs its moderate and act workers on a thread of their own,
 * which also owns the embedded PGlite; the HTTP thread reaches the store by a port. Everything a resident, a councillor
 * and an operator see must be as with the workers inline.
 */
describe('workers on a thread of their own (WORKERS=thread, the default)', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness({ env: { WORKERS: 'thread' } })
  }, 90_000)
  afterAll(async () => {
    await h?.stop()
  })

  const hidden = (id: string) => h.graph.state.comment(id)?.isHidden ?? false
  const metrics = async () => (await fetch(`${h.service.url}/metrics`)).text()

  it('hides abuse, leaves criticism up, records the chain, and counts it in /metrics', async () => {
    expect(h.service.workersThread?.starts).toBe(1)
    // the queue's only consumer is the thread: the HTTP thread runs no worker of its own
    const consumers = await waitFor(
      () => h.service.pipeline.queues.moderate.getWorkersCount(),
      (n) => n > 0,
    )
    expect(consumers).toBe(1)

    const res = await h.deliver([{ text: CRITICISM }, { text: ABUSE }])
    expect(res.status).toBe(200)
    const [criticismId, abuseId] = res.ids as [string, string]
    await waitFor(async () => hidden(abuseId), Boolean)
    const events = await waitFor(
      () => eventsForSubject(h.service.db, `facebook.${abuseId}`),
      (e) => e.some((x) => x.type === 'action.applied'),
    )
    expect(events.map((e) => e.type)).toEqual([
      'comment.received',
      'decision.made',
      'action.requested',
      'action.applied',
    ])
    const kept = await waitFor(
      () => eventsForSubject(h.service.db, `facebook.${criticismId}`),
      (e) => e.some((x) => x.type === 'decision.made'),
    )
    expect(kept.find((e) => e.type === 'decision.made')?.meta.decision).toBe('allow')
    expect(hidden(criticismId)).toBe(false)
    // without Slack no worker takes review or refresh jobs (the web desk reads the audit
    // store): none is left waiting in Redis for ever, and the review item is still recorded
    const asked = await h.deliver([{ text: ALLEGATION }])
    const [allegationId] = asked.ids as [string]
    const review = await waitFor(
      () => eventsForSubject(h.service.db, `facebook.${allegationId}`),
      (e) => e.some((x) => x.type === 'review.requested'),
    )
    expect(review.map((e) => e.type)).toContain('review.requested')
    const waiting = await h.service.pipeline.queues.review.getJobs(['wait', 'prioritized'])
    expect(waiting.map((j) => j.name)).toEqual([])

    // the decisions were counted on the workers thread and are served by the HTTP thread
    const counted = [
      /wardguard_decisions_total\{platform="facebook",action="hide"\} 1\b/,
      /wardguard_decisions_total\{platform="facebook",action="allow"\} 1\b/,
      /wardguard_platform_actions_total\{platform="facebook",action="hide",result="applied"\} 1\b/,
    ]
    // @NOTE counted a moment after the audit rows: the counters cross from the workers thread
    const text = await waitFor(metrics, (t) => counted.every((re) => re.test(t)))
    for (const re of counted) expect(text).toMatch(re)
  })

  it('starts a workers thread that dies again by itself, and moderation carries on', async () => {
    const thread = h.service.workersThread
    expect(thread).not.toBeNull()
    const before = thread?.threadId
    await thread?.kill()
    // the embedded store lives on that thread: while it is away the web app's reads fail at
    // once as "database away" (a 503), never hang
    const away = await waitFor(
      () =>
        h.service.db.query('select 1').then(
          () => null,
          (e) => e,
        ),
      (e) => e !== null,
    )
    expect(isConnectionLoss(away)).toBe(true)
    // webhooks are still answered while it is away: the comment waits in its queue
    const res = await h.deliver([{ text: ABUSE }])
    expect(res.status).toBe(200)
    const [id] = res.ids as [string]
    await waitFor(
      async () => thread?.starts,
      (n) => n === 2,
    )
    expect(thread?.threadId).not.toBe(before)
    await waitFor(async () => hidden(id), Boolean)
    expect(hidden(id)).toBe(true)
    // the store reopened after the crash: the record of both comments is whole
    const events = await waitFor(
      () => eventsForSubject(h.service.db, `facebook.${id}`),
      (e) => e.some((x) => x.type === 'action.applied'),
    )
    expect(events.map((e) => e.type)).toContain('decision.made')
    expect((await verifyChain(h.service.db)).ok).toBe(true)
  })
})
