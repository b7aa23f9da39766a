import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { eventsForSubject, listEvents } from '../../src/audit/index.js'
import {
  type Harness,
  PAGE_ID,
  PAGE_TOKEN,
  startHarness,
  waitFor,
  X_USER_ID,
} from '../helpers/harness.js'

const ABUSE = ['get lost you thick c*nt', 'you absolute w4nker', 'shut it you f***ing idiot']

describe('pipeline resilience', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness({ service: { pipeline: { staleAfterMs: 1_000, sweepIntervalMs: 500 } } })
  })
  afterAll(async () => {
    await h?.stop()
  })
  afterEach(() => {
    const page = h.graph.state.pages.get(PAGE_ID)
    if (page) page.token = h.env.FB_TOKEN_TEST as string
  })

  const hidden = (id: string) => h.graph.state.comment(id)?.isHidden ?? false

  it('parks actions on an expired token, alerts once, and hides them once the token is replaced', async () => {
    const page = h.graph.state.pages.get(PAGE_ID)
    if (!page) throw new Error('no page')
    page.token = 'rotated-token' // the service's token is now invalid: Graph answers code 190
    const { ids } = await h.deliver(ABUSE.slice(0, 2).map((text) => ({ text })))
    const parked = await waitFor(
      async () =>
        (
          await Promise.all(ids.map((id) => eventsForSubject(h.service.db, `facebook.${id}`)))
        ).flat(),
      (events) => events.filter((e) => e.type === 'action.parked').length === 2,
    )
    expect(parked.filter((e) => e.type === 'action.parked')).toHaveLength(2)
    expect(ids.some(hidden)).toBe(false)
    const alerts = (await listEvents(h.service.db, { type: 'alert.raised' }, undefined, 50)).items
    expect(alerts.filter((a) => a.meta.alert === 'token_alert')).toHaveLength(1)
    // parked actions stay parked while the token is unchanged: the sweep leaves them alone
    await new Promise((r) => setTimeout(r, 1_500))
    expect(ids.some(hidden)).toBe(false)

    await h.restart({ FB_TOKEN_TEST: 'rotated-token' })
    await waitFor(async () => ids.every(hidden), Boolean)
    expect(ids.every(hidden)).toBe(true)
    h.env.FB_TOKEN_TEST = PAGE_TOKEN
    await h.restart({ FB_TOKEN_TEST: PAGE_TOKEN })
  }, 60_000)

  it('raises one pile-on alert when many flagged comments land on one post', async () => {
    const postId = h.graph.state.newPost(PAGE_ID)
    const texts = Array.from({ length: 7 }, (_, i) => `${ABUSE[i % 3]} number ${i}`)
    await h.deliver(texts.map((text, i) => ({ text, postId, authorId: `66${i}` })))
    const alerts = await waitFor(
      async () =>
        (await listEvents(h.service.db, { type: 'alert.raised' }, undefined, 100)).items.filter(
          (a) => a.meta.alert === 'pile_on' && a.postId === postId,
        ),
      (a) => a.length > 0,
    )
    await new Promise((r) => setTimeout(r, 500))
    const again = (await listEvents(h.service.db, { type: 'alert.raised' }, undefined, 100)).items
    expect(again.filter((a) => a.meta.alert === 'pile_on' && a.postId === postId)).toHaveLength(1)
    expect(alerts[0]?.meta.count).toBeGreaterThanOrEqual(5)
  })

  it('suggests a ban to reviewers once an author passes the strike threshold', async () => {
    const author = 'repeat-offender-1'
    const suggested: unknown[] = []
    // one at a time, as a real run of comments arrives: each sees the strikes before it
    for (let i = 0; i < 6; i++) {
      const [id] = (await h.deliver([{ text: `${ABUSE[i % 3]} ${i}`, authorId: author }])).ids
      const events = await waitFor(
        () => eventsForSubject(h.service.db, `facebook.${id}`),
        (e) => e.some((x) => x.type === 'decision.made'),
      )
      suggested.push(events.find((e) => e.type === 'review.requested')?.meta.suggested ?? null)
    }
    expect(suggested.slice(0, 5)).not.toContain('ban')
    expect(suggested[5]).toBe('ban')
  })

  it('finds abusive replies on X through the poller and hides them', async () => {
    const post = h.x.state.addTweet({
      authorId: X_USER_ID,
      text: 'Surgery this Saturday at the library.',
    })
    const troll = h.x.state.addUser({ username: 'troll_tim' })
    const nice = h.x.state.addUser({ username: 'kind_kate' })
    const bad = h.x.state.addTweet({
      authorId: troll.id,
      text: '@CllrTest f*ck off you useless tw4t',
      replyTo: post.id,
    })
    const good = h.x.state.addTweet({
      authorId: nice.id,
      text: '@CllrTest thanks, see you there',
      replyTo: post.id,
    })
    await waitFor(async () => h.x.state.tweet(bad.id)?.hidden, Boolean)
    expect(h.x.state.tweet(bad.id)?.hidden).toBe(true)
    const goodEvents = await waitFor(
      () => eventsForSubject(h.service.db, `x.${good.id}`),
      (e) => e.some((x) => x.type === 'decision.made'),
    )
    expect(goodEvents.find((e) => e.type === 'decision.made')?.meta.decision).toBe('allow')
    expect(h.x.state.tweet(good.id)?.hidden).toBe(false)
  })
})
