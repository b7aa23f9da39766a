import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { App } from '@slack/bolt'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { HonoReceiver } from '../../src/connectors/slack/receiver.js'
import {
  type SlackSim,
  sendInteraction,
  sendSigned,
  startSlackSim,
} from '../simulators/slack-sim.js'
import { botToken, signingSecret } from './setup.js'

const url = 'http://wardguard.test/slack/events'
let sim: SlackSim | null = null
afterEach(async () => {
  await sim?.close()
  sim = null
})

/** A bare Bolt app on the receiver: these tests are about transport, not the review flow. */
async function boltOn(receiver: HonoReceiver, start = true) {
  sim = await startSlackSim({ botToken })
  const app = new App({
    token: botToken,
    receiver,
    clientOptions: { slackApiUrl: sim.url, retryConfig: { retries: 0 } },
    deferInitialization: true,
  })
  const seen: { kind: string; retryNum?: number }[] = []
  app.action('ping', async ({ ack, context }) => {
    seen.push({ kind: 'ping', retryNum: context.retryNum })
    await ack()
  })
  app.action('silent', async () => {
    seen.push({ kind: 'silent' })
  })
  app.action('slow', async () => {
    seen.push({ kind: 'slow' })
    await new Promise((r) => setTimeout(r, 400))
  })
  app.event('app_mention', async ({ context }) => {
    seen.push({ kind: 'app_mention', retryNum: context.retryNum })
  })
  if (start) {
    await app.init()
    await app.start()
  }
  const http = new Hono().route('/slack', receiver.routes())
  return { app, seen, http, send: { signingSecret, fetch: (req: Request) => http.fetch(req) } }
}

const action = (actionId: string) => ({
  type: 'block_actions',
  user: { id: 'U0ADMIN1' },
  team: { id: 'T0SIM' },
  trigger_id: '1.a',
  container: { type: 'message', channel_id: 'C0REVIEW', message_ts: '1.000001' },
  actions: [{ type: 'button', action_id: actionId, value: 'x', action_ts: '1.1' }],
})

describe('slack receiver', () => {
  it('hands a signed interaction to Bolt and answers 200 when the listener acks', async () => {
    const { seen, send } = await boltOn(new HonoReceiver({ signingSecret }))
    const res = await sendInteraction(url, action('ping'), send)
    expect(res.status).toBe(200)
    expect(seen).toEqual([{ kind: 'ping', retryNum: undefined }])
  })

  it('answers 401 and runs nothing when the signature was made with another secret', async () => {
    const { seen, send } = await boltOn(new HonoReceiver({ signingSecret }))
    const res = await sendInteraction(url, action('ping'), {
      ...send,
      signingSecret: 'other-secret',
    })
    const missing = await sendInteraction(url, action('ping'), { ...send, signature: '' })
    expect([res.status, missing.status]).toEqual([401, 401])
    expect(seen).toEqual([])
  })

  it('answers 401 when the request is more than five minutes old, even if correctly signed', async () => {
    const { seen, send } = await boltOn(new HonoReceiver({ signingSecret }))
    const now = Math.floor(Date.now() / 1000)
    const stale = await sendInteraction(url, action('ping'), {
      ...send,
      timestamp: now - 5 * 60 - 30,
    })
    const fresh = await sendInteraction(url, action('ping'), { ...send, timestamp: now - 4 * 60 })
    expect([stale.status, fresh.status]).toEqual([401, 200])
    expect(seen).toHaveLength(1)
  })

  it('answers 401 when the request is timestamped more than five minutes in the future', async () => {
    const { seen, send } = await boltOn(new HonoReceiver({ signingSecret }))
    const now = Math.floor(Date.now() / 1000)
    const ahead = await sendInteraction(url, action('ping'), { ...send, timestamp: now + 10 * 60 })
    const near = await sendInteraction(url, action('ping'), { ...send, timestamp: now + 60 })
    expect([ahead.status, near.status]).toEqual([401, 200])
    expect(seen).toHaveLength(1)
  })

  it('echoes the challenge of a url_verification request', async () => {
    const { send } = await boltOn(new HonoReceiver({ signingSecret }))
    const body = JSON.stringify({ token: 't', challenge: 'c-42', type: 'url_verification' })
    const res = await sendSigned(url, body, 'application/json', send)
    expect([res.status, await res.json()]).toEqual([200, { challenge: 'c-42' }])
  })

  it('passes X-Slack-Retry-Num of a JSON event through to the listener context', async () => {
    const receiver = new HonoReceiver({ signingSecret })
    const { seen, send } = await boltOn(receiver)
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0SIM',
      api_app_id: 'A0SIM',
      event: { type: 'app_mention', user: 'U0ADMIN1', text: 'hi', ts: '1.2', channel: 'C0REVIEW' },
      event_id: 'Ev1',
      event_time: 1,
    })
    const res = await sendSigned(url, body, 'application/json', { ...send, retryNum: 2 })
    await receiver.idle()
    expect(res.status).toBe(200)
    expect(seen).toEqual([{ kind: 'app_mention', retryNum: 2 }])
  })

  it('answers 500 at the ack timeout when a listener is still running without having acked', async () => {
    const receiver = new HonoReceiver({ signingSecret, ackTimeoutMs: 150 })
    const { send, seen } = await boltOn(receiver)
    const started = Date.now()
    const res = await sendInteraction(url, action('slow'), send)
    const waited = Date.now() - started
    expect(res.status).toBe(500)
    expect(waited).toBeGreaterThanOrEqual(140)
    expect(waited).toBeLessThan(400)
    await receiver.idle()
    expect(seen).toEqual([{ kind: 'slow' }])
  })

  it('answers 404 when the listener finishes without acking', async () => {
    const { send, seen } = await boltOn(new HonoReceiver({ signingSecret }))
    const res = await sendInteraction(url, action('silent'), send)
    expect(res.status).toBe(404)
    expect(seen).toEqual([{ kind: 'silent' }])
  })

  it('answers 503 until the app is started, and 400 for an unreadable body', async () => {
    const { send } = await boltOn(new HonoReceiver({ signingSecret }), false)
    const res = await sendInteraction(url, action('ping'), send)
    const garbage = await sendSigned(url, '{not json', 'application/json', send)
    expect([res.status, garbage.status]).toEqual([503, 400])
  })

  it('serves /slack/events over a real socket when mounted on a Node server', async () => {
    const { seen, http } = await boltOn(new HonoReceiver({ signingSecret }))
    const server = serve({ fetch: http.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise((r) => server.once('listening', r))
    try {
      const port = (server.address() as AddressInfo).port
      const res = await sendInteraction(`http://127.0.0.1:${port}/slack/events`, action('ping'), {
        signingSecret,
      })
      expect(res.status).toBe(200)
      expect(seen).toHaveLength(1)
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})
