import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventsForSubject, getSnapshot, listEvents } from '../../src/audit/index.js'
import type { CommentEnvelope, ModerateMessage } from '../../src/pipeline/messages.js'
import { addUser, createWebRoutes } from '../../src/web/index.js'
import { type Harness, PAGE_ID, startHarness, waitFor } from '../helpers/harness.js'
import { ACCOUNTS, Client, PASSWORD } from '../web/fixtures.js'

const decided = (h: Harness, id: string) =>
  waitFor(
    () => eventsForSubject(h.service.db, `facebook.${id}`),
    (e) => e.some((x) => x.type === 'decision.made' || x.type === 'comment.rejected'),
  )

function envelope(id: string, text: string): CommentEnvelope {
  return {
    v: 1,
    platform: 'facebook',
    verb: 'add',
    subjectKey: `facebook.${id}`,
    commentId: id,
    postId: `${PAGE_ID}_9`,
    parentId: null,
    accountId: PAGE_ID,
    author: { id: `author-${id}`, name: 'A Resident' },
    text,
    permalink: null,
    createdAt: new Date().toISOString(),
    contentHash: createHash('sha256').update(text).digest('hex'),
    source: 'replay',
  }
}

/** Issue 11, item 3: one odd comment must not sink its batch, and no failure goes unseen. */
describe('a poison comment', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(async () => {
    await h?.stop()
  })

  it('keeps what the author wrote, replaces only what Postgres cannot store, and decides the whole batch', async () => {
    const res = await h.deliver([
      { text: 'When is the bin collection?' },
      { text: 'you absolute w4nker' },
      { text: 'nul \u0000 inside' },
      { text: 'lone \ud800 surrogate' },
      { text: 'Thanks for the new bus shelter' },
    ])
    expect(res.status).toBe(200)
    const all = await Promise.all(res.ids.map((id) => decided(h, id)))
    for (const events of all) expect(events.some((e) => e.type === 'decision.made')).toBe(true)
    const nul = await getSnapshot(h.service.db, `facebook.${res.ids[2]}`)
    expect(nul?.text).toBe('nul \uFFFD inside')
    const received = all[2]?.find((e) => e.type === 'comment.received')
    expect(received?.meta.textRepaired).toEqual(['nul'])
    expect(all[3]?.find((e) => e.type === 'comment.received')?.meta.textRepaired).toEqual([
      'lone_surrogate',
    ])
    await waitFor(async () => h.graph.state.comment(res.ids[1] as string)?.isHidden, Boolean)
    expect(h.graph.state.comment(res.ids[1] as string)?.isHidden).toBe(true)
  })

  it('fails alone when it still cannot be stored: neighbours decided, it is rejected with a reason and an alert', async () => {
    // a job queued by an older version, before the repair at the door
    const msg: ModerateMessage = {
      v: 1,
      comments: [
        envelope('9001_1', 'A perfectly ordinary question about parking'),
        envelope('9001_2', 'poison \u0000 text'),
        envelope('9001_3', 'shut up you f*cking idiot'),
      ],
      deliveryKey: 'poison-test',
      receivedAt: new Date().toISOString(),
    }
    await h.service.pipeline.queues.moderate.add('moderate', msg, { jobId: 'mod.poison-test.0' })
    const [good, poison, abusive] = await Promise.all(
      ['9001_1', '9001_2', '9001_3'].map((id) => decided(h, id)),
    )
    expect(good?.some((e) => e.type === 'decision.made')).toBe(true)
    expect(abusive?.find((e) => e.type === 'decision.made')?.meta.decision).toBe('act')
    const rejected = poison?.find((e) => e.type === 'comment.rejected')
    expect(rejected?.reason).toMatch(/could not be stored/)
    expect(poison?.some((e) => e.type === 'decision.made')).toBe(false)
    const alerts = (await listEvents(h.service.db, { type: 'alert.raised' })).items
    expect(
      alerts.some((a) => a.meta.alert === 'comment_rejected' && a.subjectKey === 'facebook.9001_2'),
    ).toBe(true)
    const state = await waitFor(
      () => h.service.pipeline.queues.moderate.getJobState('mod.poison-test.0'),
      (s) => s === 'completed' || s === 'failed',
    )
    expect(state).toBe('completed')
  })

  it('shows a job that ended in the failed set on /readyz, /metrics and the audit app', async () => {
    await h.service.pipeline.queues.moderate.add('moderate', { v: 99 } as never, {
      jobId: 'mod.broken.0',
    })
    await waitFor(
      async () => h.service.pipeline.queues.moderate.getJobState('mod.broken.0'),
      (s) => s === 'failed',
    )
    const ready = (await (await fetch(`${h.service.url}/readyz`)).json()) as {
      failedJobs?: Record<string, number>
    }
    expect(ready.failedJobs?.['wg-moderate']).toBe(1)
    const metrics = await (await fetch(`${h.service.url}/metrics`)).text()
    expect(metrics).toMatch(/wardguard_queue_jobs\{queue="wg-moderate",state="failed"\} 1/)

    await addUser(h.service.db, { username: 'ops', role: 'admin', password: PASSWORD })
    const web = new Client(
      createWebRoutes({
        db: h.service.db,
        accounts: () => ACCOUNTS,
        council: { name: 'Test Borough Council' },
        sessionSecret: 'test-session-secret-that-is-long-enough-1234',
        failedJobs: () => h.service.pipeline.failedJobs(),
      }),
    )
    await web.signIn('ops')
    const overview = await (await web.request('/audit')).text()
    expect(overview).toContain('Failed jobs: 1')
    expect(overview).toContain('mod.broken.0')
  })
})
