import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { IngestDelivery } from '../../src/connectors/types.js'
import { createXWebhookRoutes } from '../../src/connectors/x/webhook.js'
import type { CommentEnvelope } from '../../src/pipeline/messages.js'
import { sendXWebhook, startXSimulator, xCrcCheck, xTweetCreateBody } from '../simulators/x-sim.js'
import { serveApp } from './serve-app.js'

const consumerSecret = 'x-consumer-secret'
const ME = '2001'

function setup(fail = false) {
  const ingested: { comments: CommentEnvelope[]; delivery: IngestDelivery }[] = []
  const app = createXWebhookRoutes({
    consumerSecret,
    isKnownAccount: (id) => id === ME,
    ingest: async (comments, delivery) => {
      if (fail) throw new Error('queue down')
      ingested.push({ comments, delivery })
    },
  })
  return { app, ingested }
}

const sign = (raw: string, secret = consumerSecret) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('base64')}`

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  while (closers.length) await closers.pop()?.()
})

async function world() {
  const sim = await startXSimulator()
  closers.push(sim.stop)
  const me = sim.state.addUser({ id: ME, username: 'cllr_patel', token: 't' })
  const resident = sim.state.addUser({ id: '5001', username: 'resident_one', name: 'Resident One' })
  const post = sim.state.addTweet({ authorId: me.id, text: 'Bin collections change next week' })
  const reply = sim.state.addTweet({ authorId: resident.id, text: 'About time', replyTo: post.id })
  const mention = sim.state.addTweet({ authorId: resident.id, text: 'Ask @cllr_patel about it' })
  const own = sim.state.addTweet({ authorId: me.id, text: 'Thanks all', replyTo: reply.id })
  const unrelated = sim.state.addTweet({ authorId: resident.id, text: 'Lovely sunset' })
  return { sim, tweets: [reply, mention, own, unrelated], reply, mention }
}

describe('x webhook', () => {
  it('answers the CRC check with the HMAC of the token', async () => {
    const { app } = setup()
    const res = await app.request('/?crc_token=abc123XYZ_-')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      response_token: `sha256=${createHmac('sha256', consumerSecret).update('abc123XYZ_-').digest('base64')}`,
    })
    expect((await app.request('/')).status).toBe(400)
  })

  it('passes X-style CRC checks over real HTTP, and fails them with another secret', async () => {
    const server = await serveApp(setup().app)
    closers.push(server.close)
    expect(await xCrcCheck(server.url, consumerSecret)).toMatchObject({ ok: true, status: 200 })
    expect((await xCrcCheck(server.url, 'wrong-secret')).ok).toBe(false)
  })

  it('ingests the replies and mentions of a signed delivery only', async () => {
    const { sim, tweets, reply, mention } = await world()
    const { app, ingested } = setup()
    const server = await serveApp(app)
    closers.push(server.close)
    const result = await sendXWebhook(
      server.url,
      xTweetCreateBody(sim.state, ME, tweets),
      consumerSecret,
    )
    expect(result.status).toBe(200)
    expect(JSON.parse(result.body)).toEqual({ ok: true, accepted: 2 })
    expect(ingested[0]?.comments.map((c) => [c.commentId, c.author.name])).toEqual([
      [reply.id, 'Resident One'],
      [mention.id, 'Resident One'],
    ])
  })

  it('answers 401 without or with a wrong signature, and ingests nothing', async () => {
    const { app, ingested } = setup()
    const raw = JSON.stringify({ for_user_id: ME, tweet_create_events: [] })
    for (const header of [undefined, sign(raw, 'other')]) {
      const res = await app.request('/', {
        method: 'POST',
        body: raw,
        headers: header ? { 'x-twitter-webhooks-signature': header } : {},
      })
      expect(res.status).toBe(401)
    }
    expect(ingested).toEqual([])
  })

  it('answers 400 to bad JSON or a body without for_user_id', async () => {
    const { app, ingested } = setup()
    for (const raw of ['{not json', '{"tweet_create_events":[]}']) {
      const res = await app.request('/', {
        method: 'POST',
        body: raw,
        headers: { 'x-twitter-webhooks-signature': sign(raw) },
      })
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code: 'message_invalid' } })
    }
    expect(ingested).toEqual([])
  })

  it('accepts but does not ingest events for an account we do not watch', async () => {
    const { sim, tweets } = await world()
    const { app, ingested } = setup()
    const raw = JSON.stringify(xTweetCreateBody(sim.state, '9999', tweets))
    const res = await app.request('/', {
      method: 'POST',
      body: raw,
      headers: { 'x-twitter-webhooks-signature': sign(raw) },
    })
    expect([res.status, await res.json()]).toEqual([200, { ok: true, accepted: 0 }])
    expect(ingested).toEqual([])
  })

  it('answers 503 when the comments could not be queued, and X retries', async () => {
    const { sim, tweets } = await world()
    const server = await serveApp(setup(true).app)
    closers.push(server.close)
    const body = xTweetCreateBody(sim.state, ME, tweets)
    const result = await sendXWebhook(server.url, body, consumerSecret, {
      retries: 3,
      retryDelayMs: 1,
    })
    expect(result).toMatchObject({ status: 503, attempts: 4 })
  })
})
