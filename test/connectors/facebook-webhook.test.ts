import { createHash, createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createFacebookWebhookRoutes } from '../../src/connectors/facebook/webhook.js'
import type { IngestDelivery } from '../../src/connectors/types.js'
import type { CommentEnvelope } from '../../src/pipeline/messages.js'
import {
  facebookCommentBody,
  sendFacebookWebhook,
  startGraphSimulator,
} from '../simulators/graph-sim.js'
import { serveApp } from './serve-app.js'

const appSecret = 'fb-app-secret'
const verifyToken = 'verify-me-please'
const PAGE = '448242228374517'
const OTHER_PAGE = '448242228374999'
const jane = { id: '7001', name: 'Jane Resident' }

function setup(ingestImpl?: (c: CommentEnvelope[], d: IngestDelivery) => Promise<void>) {
  const ingested: { comments: CommentEnvelope[]; delivery: IngestDelivery }[] = []
  const app = createFacebookWebhookRoutes({
    appSecret,
    verifyToken,
    isKnownPage: (id) => id === PAGE || id === OTHER_PAGE,
    ingest: async (comments, delivery) => {
      if (ingestImpl) await ingestImpl(comments, delivery)
      ingested.push({ comments, delivery })
    },
    now: () => new Date('2026-11-22T12:00:00.000Z'),
  })
  return { app, ingested }
}

const sign = (raw: string, secret = appSecret) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`

function post(app: ReturnType<typeof setup>['app'], raw: string, signature?: string) {
  return app.request('/', {
    method: 'POST',
    body: raw,
    headers: {
      'content-type': 'application/json',
      ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }),
    },
  })
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  while (closers.length) await closers.pop()?.()
})

describe('facebook webhook', () => {
  it('echoes hub.challenge as text when the verify token matches', async () => {
    const { app } = setup()
    const res = await app.request(
      `/?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=1158201444`,
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await res.text()).toBe('1158201444')
  })

  it('answers 403 to a wrong verify token, a wrong mode or a missing challenge', async () => {
    const { app } = setup()
    const urls = [
      '/?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1',
      `/?hub.mode=unsubscribe&hub.verify_token=${verifyToken}&hub.challenge=1`,
      `/?hub.mode=subscribe&hub.verify_token=${verifyToken}`,
      '/?hub.mode=subscribe&hub.challenge=1',
    ]
    for (const url of urls) expect((await app.request(url)).status).toBe(403)
  })

  it('ingests every comment of a signed batch and answers with the count', async () => {
    const { app, ingested } = setup()
    const raw = JSON.stringify(
      facebookCommentBody([
        { pageId: PAGE, commentId: '1_1', from: jane, message: 'first' },
        { pageId: PAGE, commentId: '1_2', from: { id: PAGE, name: 'Cllr' }, message: 'own' },
        { pageId: OTHER_PAGE, commentId: '2_1', from: jane, message: 'second' },
        { pageId: '123', commentId: '3_1', from: jane, message: 'unknown page' },
      ]),
    )
    const res = await post(app, raw, sign(raw))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, accepted: 2 })
    expect(ingested).toHaveLength(1)
    expect(ingested[0]?.comments.map((c) => c.commentId)).toEqual(['1_1', '2_1'])
    expect(ingested[0]?.delivery).toEqual({
      deliveryKey: createHash('sha256').update(raw).digest('hex').slice(0, 16),
      receivedAt: '2026-11-22T12:00:00.000Z',
    })
  })

  it('answers 401 and ingests nothing when the signature is missing or wrong', async () => {
    const { app, ingested } = setup()
    const raw = JSON.stringify(
      facebookCommentBody([{ pageId: PAGE, commentId: '1_1', from: jane }]),
    )
    for (const signature of [undefined, sign(raw, 'other-secret'), 'sha256=00']) {
      const res = await post(app, raw, signature)
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ error: { code: 'signature_invalid' } })
    }
    expect(ingested).toEqual([])
  })

  it('answers 400 with a clear message and ingests nothing for malformed JSON', async () => {
    const { app, ingested } = setup()
    const raw = '{"object":"page","entry":[{'
    const res = await post(app, raw, sign(raw))
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: { code: 'message_invalid', message: 'Body is not valid JSON' },
    })
    expect(ingested).toEqual([])
  })

  it('answers 400 naming the field when the JSON is not a Page webhook', async () => {
    const { app, ingested } = setup()
    const raw = '{"object":"page","entry":"nope"}'
    const res = await post(app, raw, sign(raw))
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { message: string } }
    expect(body.error.message).toMatch(/^Body is not a Page webhook: entry /)
    expect(ingested).toEqual([])
  })

  it('answers 200 without ingesting when nothing in the batch is a comment for us', async () => {
    const { app, ingested } = setup()
    const raw = JSON.stringify(
      facebookCommentBody([{ pageId: '999', commentId: '1_1', from: jane, message: 'x' }]),
    )
    const res = await post(app, raw, sign(raw))
    expect([res.status, await res.json()]).toEqual([200, { ok: true, accepted: 0 }])
    expect(ingested).toEqual([])
  })

  it('answers 503 when the comments could not be queued, so Meta redelivers', async () => {
    const { app } = setup(async () => {
      throw new Error('redis down')
    })
    const raw = JSON.stringify(
      facebookCommentBody([{ pageId: PAGE, commentId: '1_1', from: jane, message: 'x' }]),
    )
    const res = await post(app, raw, sign(raw))
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ error: { code: 'ingest_unavailable' } })
  })

  it('verifies the exact bytes Meta sends, with non-ASCII escaped, over real HTTP', async () => {
    const { app, ingested } = setup()
    const server = await serveApp(app)
    closers.push(server.close)
    const body = facebookCommentBody([
      { pageId: PAGE, commentId: '9_1', from: jane, message: 'Café on Hogg’s Lane – £5 🙂' },
    ])
    const result = await sendFacebookWebhook(server.url, body, appSecret)
    expect(result).toMatchObject({ status: 200, attempts: 1 })
    expect(ingested[0]?.comments[0]?.text).toBe('Café on Hogg’s Lane – £5 🙂')
  })

  it('is redelivered by the sender after a 503 and accepted on the retry', async () => {
    let failures = 1
    const { app, ingested } = setup(async () => {
      if (failures-- > 0) throw new Error('queue full')
    })
    const server = await serveApp(app)
    closers.push(server.close)
    const sim = await startGraphSimulator({ pages: { [PAGE]: 'page-token' } })
    closers.push(sim.stop)
    const comment = sim.state.seedComment({ pageId: PAGE, from: jane, message: 'hello' })
    const result = await sendFacebookWebhook(
      server.url,
      facebookCommentBody([comment]),
      appSecret,
      {
        retries: 2,
        retryDelayMs: 5,
      },
    )
    expect(result).toMatchObject({ status: 200, attempts: 2 })
    expect(ingested.map((i) => i.comments[0]?.commentId)).toEqual([comment.id])
  })
})
