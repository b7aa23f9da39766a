import { createHash, timingSafeEqual } from 'node:crypto'
import { Hono } from 'hono'
import type { Logger } from 'pino'
import { connectorLogger } from '../../logger.js'
import type { Ingest } from '../types.js'
import { fromFacebookWebhook } from './normalise.js'
import { FacebookWebhookBodySchema } from './payload.js'
import { verifyFacebookSignature } from './signature.js'

export type FacebookWebhookDeps = {
  appSecret: string
  verifyToken: string
  isKnownPage(pageId: string): boolean
  ingest: Ingest
  logger?: Logger
  now?: () => Date
}

/**
 * The Page webhook, mounted at /webhooks/facebook. Transport only: verify, parse, normalise,
 * hand over, answer. @NOTE never 200 for a delivery that was not queued: Meta only redelivers
 * after a non-200, and drops what stays unacknowledged for 36 hours.
 */
export function createFacebookWebhookRoutes(deps: FacebookWebhookDeps): Hono {
  const log = deps.logger ?? connectorLogger.child({ platform: 'facebook' })
  const now = deps.now ?? (() => new Date())
  const app = new Hono()

  app.get('/', (c) => {
    const mode = c.req.query('hub.mode')
    const token = c.req.query('hub.verify_token') ?? ''
    const challenge = c.req.query('hub.challenge')
    if (mode !== 'subscribe' || !challenge || !sameSecret(token, deps.verifyToken)) {
      log.warn({ mode }, 'facebook webhook handshake refused')
      return c.text('Forbidden', 403)
    }
    return c.text(challenge, 200)
  })

  app.post('/', async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer())
    if (!verifyFacebookSignature(raw, c.req.header('x-hub-signature-256'), deps.appSecret)) {
      log.warn({ bytes: raw.byteLength }, 'facebook webhook signature missing or wrong')
      return c.json(
        { error: { code: 'signature_invalid', message: 'Missing or wrong X-Hub-Signature-256' } },
        401,
      )
    }
    let json: unknown
    try {
      json = JSON.parse(new TextDecoder().decode(raw))
    } catch {
      return c.json({ error: { code: 'message_invalid', message: 'Body is not valid JSON' } }, 400)
    }
    const body = FacebookWebhookBodySchema.safeParse(json)
    if (!body.success) {
      const message = `Body is not a Page webhook: ${body.error.issues
        .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
        .join('; ')}`
      return c.json({ error: { code: 'message_invalid', message } }, 400)
    }
    const receivedAt = now().toISOString()
    const deliveryKey = createHash('sha256').update(raw).digest('hex').slice(0, 16)
    const { comments, skipped } = fromFacebookWebhook(body.data, {
      isKnownPage: deps.isKnownPage,
      receivedAt,
    })
    for (const skip of skipped) log.debug({ deliveryKey, ...skip }, 'facebook change skipped')
    if (comments.length > 0) {
      try {
        await deps.ingest(comments, { deliveryKey, receivedAt })
      } catch (err) {
        log.error(
          { deliveryKey, comments: comments.length, err: errorSummary(err) },
          'facebook delivery not queued; asking Meta to redeliver',
        )
        return c.json(
          { error: { code: 'ingest_unavailable', message: 'Delivery not queued; retry later' } },
          503,
        )
      }
    }
    log.info(
      {
        deliveryKey,
        accepted: comments.length,
        skipped: skipped.length,
        commentIds: comments.map((m) => m.commentId),
      },
      'facebook delivery accepted',
    )
    return c.json({ ok: true, accepted: comments.length }, 200)
  })

  return app
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return expected.length > 0 && timingSafeEqual(a, b)
}

/** @NOTE ingest errors may wrap a queue payload; log the name and code only, never the message */
function errorSummary(err: unknown): { name: string; code?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return { name: err.name, ...(typeof code === 'string' ? { code } : {}) }
  }
  return { name: typeof err }
}
