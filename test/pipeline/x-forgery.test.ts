import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventsForSubject, getSnapshot, listEvents } from '../../src/audit/index.js'
import { type Harness, startHarness, waitFor, X_USER_ID } from '../helpers/harness.js'
import { sendXWebhook, xTweetCreateBody } from '../simulators/x-sim.js'

const SECRET = 'x-consumer-secret'
const REAL = 'This budget is a shambles and the cabinet should be ashamed of it.'
const FORGED = 'You are scum, go kill yourself, I know where you live'

/**
 * The attack from the hardening issue: the CRC answer is the HMAC of whatever crc_token says,
 * under the same key as POST signatures, so an attacker asks the service to sign a forged body.
 */
describe('x webhook: forged deliveries act on nothing', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness({ xIngest: 'webhook' })
  })
  afterAll(async () => {
    await h?.stop()
  })

  function world() {
    const resident = h.x.state.addUser({ username: `resident${Date.now() % 100000}` })
    const post = h.x.state.addTweet({
      authorId: X_USER_ID,
      text: 'Budget consultation opens today',
    })
    const reply = h.x.state.addTweet({ authorId: resident.id, text: REAL, replyTo: post.id })
    // the forged body: the resident's real tweet id and name, words they never wrote
    const forged = xTweetCreateBody(h.x.state, X_USER_ID, [{ ...reply, text: FORGED }])
    return { resident, reply, forged: JSON.stringify(forged) }
  }

  it('refuses to sign a forged body put in crc_token', async () => {
    const { forged } = world()
    const url = new URL(`${h.service.url}/webhooks/x`)
    url.searchParams.set('crc_token', forged)
    const res = await fetch(url)
    expect(res.status).toBe(400)
    const body = (await res.json()) as Record<string, unknown>
    expect(body.response_token).toBeUndefined()
    // a real X token still gets its answer, so X keeps delivering
    url.searchParams.set('crc_token', 'sK7b1p0Yx9_Zq-3dR2mNc4wE8vT6uL5aHjG0fD1sA2k')
    const ok = (await (await fetch(url)).json()) as { response_token: string }
    const expected = createHmac('sha256', SECRET)
      .update('sK7b1p0Yx9_Zq-3dR2mNc4wE8vT6uL5aHjG0fD1sA2k')
      .digest('base64')
    expect(ok.response_token).toBe(`sha256=${expected}`)
  })

  it('judges and records what the X API says a tweet is, not what a signed delivery claims', async () => {
    const { reply, forged } = world()
    // even with a valid signature (a leaked secret), the forged words are never judged
    const res = await sendXWebhook(`${h.service.url}/webhooks/x`, forged, SECRET)
    expect(res.status).toBe(200)
    const subject = `x.${reply.id}`
    const events = await waitFor(
      () => eventsForSubject(h.service.db, subject),
      (e) => e.some((x) => x.type === 'decision.made'),
    )
    const decided = events.find((e) => e.type === 'decision.made')
    expect(decided?.meta.decision).toBe('allow')
    expect(events.map((e) => e.type)).not.toContain('action.requested')
    expect(h.x.state.tweet(reply.id)?.hidden).toBe(false)
    const snapshot = await getSnapshot(h.service.db, subject)
    expect(snapshot?.text).toBe(REAL)
  })

  it('records a delivery of a tweet X does not have as an alert, and decides nothing', async () => {
    const { resident } = world()
    const ghost = {
      id: '1999999999999999999',
      authorId: resident.id,
      text: FORGED,
      createdAt: new Date().toISOString(),
      conversationId: '1999999999999999990',
      inReplyToTweetId: '1999999999999999990',
      inReplyToUserId: X_USER_ID,
      retweetOf: null,
      mentions: [],
      hidden: false,
    }
    const body = xTweetCreateBody(h.x.state, X_USER_ID, [ghost])
    const res = await sendXWebhook(`${h.service.url}/webhooks/x`, body, SECRET)
    expect(res.status).toBe(200)
    const alerts = await waitFor(
      async () =>
        (await listEvents(h.service.db, { type: 'alert.raised' }, null, 100)).items.filter(
          (e) => e.meta.tweetId === ghost.id,
        ),
      (a) => a.length > 0,
    )
    expect(alerts[0]?.meta).toMatchObject({ alert: 'unconfirmed_delivery', why: 'not_found' })
    expect(alerts[0]?.authorId).toBeNull()
    expect(await eventsForSubject(h.service.db, `x.${ghost.id}`)).toEqual([])
    expect(await getSnapshot(h.service.db, `x.${ghost.id}`)).toBeNull()
    const hides = h.x.requests.filter((r) => r.method === 'PUT' && r.path.includes(ghost.id))
    expect(hides).toEqual([])
  })
})
