import type { App, Receiver, ReceiverEvent } from '@slack/bolt'
import { ReceiverMultipleAckError, verifySlackRequest } from '@slack/bolt'
import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Logger } from 'pino'
import { connectorLogger } from '../../logger.js'

export type HonoReceiverOptions = {
  signingSecret: string
  /** Slack gives up after 3 s; Bolt's own receivers wait 3001 ms */
  ackTimeoutMs?: number
  now?: () => number
  log?: Logger
}

type AckResponse = string | Record<string, unknown> | undefined

/** Slack's own rule: a request more than five minutes away from now is a replay. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000

/**
 * Bolt's transport when Hono owns the port: verify, parse, hand to `app.processEvent`, answer on
 * ack. Mount `routes()` at `/slack`, so Slack posts to `/slack/events`. Like AwsLambdaReceiver,
 * but it answers as soon as the listener acks, and the listener's work goes on after the reply.
 */
export class HonoReceiver implements Receiver {
  private app: App | null = null
  private started = false
  private readonly inFlight = new Set<Promise<void>>()
  private readonly signingSecret: string
  private readonly ackTimeoutMs: number
  private readonly now: () => number
  private readonly log: Logger

  constructor(opts: HonoReceiverOptions) {
    this.signingSecret = opts.signingSecret
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 3001
    this.now = opts.now ?? Date.now
    this.log = opts.log ?? connectorLogger.child({ connector: 'slack', part: 'receiver' })
  }

  init(app: App): void {
    this.app = app
  }

  async start(): Promise<void> {
    this.started = true
  }

  /** No port to close; waits for listeners still running after their ack. */
  async stop(): Promise<void> {
    this.started = false
    await this.idle()
  }

  /** Resolves once every event handed to Bolt so far has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight])
  }

  routes(): Hono {
    return new Hono().post('/events', bodyLimit({ maxSize: 1024 * 1024 }), (c) => this.handle(c))
  }

  private async handle(c: Context): Promise<Response> {
    // @NOTE the signature covers the exact bytes Slack sent, so read them before any parsing
    const raw = await c.req.text()
    // @NOTE Bolt's check refuses only old timestamps; one from the future would stay replayable
    // until that time comes, so anything more than five minutes ahead is refused too
    const stamp = Number(c.req.header('x-slack-request-timestamp'))
    if (Number.isFinite(stamp) && stamp * 1_000 - this.now() > MAX_CLOCK_SKEW_MS) {
      this.log.warn('slack request refused: timestamp in the future')
      return c.text('invalid timestamp', 401)
    }
    try {
      verifySlackRequest({
        signingSecret: this.signingSecret,
        body: raw,
        headers: {
          'x-slack-signature': c.req.header('x-slack-signature') ?? '',
          'x-slack-request-timestamp': Number(c.req.header('x-slack-request-timestamp')),
        },
        nowMilliseconds: this.now(),
      })
    } catch {
      this.log.warn('slack request refused: signature or timestamp did not verify')
      return c.text('invalid signature', 401)
    }
    const body = parseBody(raw, c.req.header('content-type') ?? '')
    if (!body) return c.text('unreadable body', 400)
    if (body.ssl_check) return c.body(null, 200)
    if (body.type === 'url_verification') return c.json({ challenge: body.challenge })
    if (!this.started || !this.app) return c.text('not started', 503)
    return this.dispatch(c, this.app, body)
  }

  private dispatch(c: Context, app: App, body: Record<string, unknown>): Promise<Response> {
    const retryHeader = c.req.header('x-slack-retry-num')
    return new Promise<Response>((resolve) => {
      let answered = false
      const answer = (res: Response) => {
        if (answered) return
        answered = true
        clearTimeout(timer)
        resolve(res)
      }
      const timer = setTimeout(() => {
        this.log.error({ ms: this.ackTimeoutMs }, 'slack event not acknowledged in time')
        answer(c.body(null, 500))
      }, this.ackTimeoutMs)
      let acked = false
      const event: ReceiverEvent = {
        body,
        retryNum: retryHeader === undefined ? undefined : Number(retryHeader),
        retryReason: c.req.header('x-slack-retry-reason'),
        ack: async (response?: AckResponse) => {
          if (acked) throw new ReceiverMultipleAckError()
          acked = true
          if (response === undefined || response === '') answer(c.body(null, 200))
          else if (typeof response === 'string') answer(c.text(response))
          else answer(c.json(response))
        },
      }
      const work = app
        .processEvent(event)
        // @NOTE nothing acked and nothing threw: no listener matched, as in AwsLambdaReceiver
        .then(() => answer(c.body(null, 404)))
        .catch(() => {
          this.log.error('slack event processing failed')
          answer(c.body(null, 500))
        })
        .finally(() => this.inFlight.delete(work))
      this.inFlight.add(work)
    })
  }
}

function parseBody(raw: string, contentType: string): Record<string, unknown> | null {
  try {
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(raw)
      const payload = form.get('payload')
      return payload === null ? Object.fromEntries(form) : asObject(JSON.parse(payload))
    }
    return asObject(JSON.parse(raw))
  } catch {
    return null
  }
}

function asObject(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : null
}
