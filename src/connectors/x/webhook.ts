import { createHash } from 'node:crypto'
import { Hono } from 'hono'
import type { Logger } from 'pino'
import { connectorLogger } from '../../logger.js'
import type { Ingest } from '../types.js'
import { crcResponse } from './crc.js'
import { fromXActivity } from './normalise.js'
import { XActivityBodySchema } from './payload.js'
import { verifyXSignature } from './signature.js'

export type XWebhookDeps = {
  consumerSecret: string
  isKnownAccount(userId: string): boolean
  ingest: Ingest
  logger?: Logger
  now?: () => Date
}

/**
 * The Account Activity webhook, mounted at /webhooks/x: CRC on GET, signed events on POST.
 * @NOTE X retries a non-200 up to 3 times over 5 minutes, so a lost delivery answers 503.
 */
export function createXWebhookRoutes(deps: XWebhookDeps): Hono {
  const log = deps.logger ?? connectorLogger.child({ platform: 'x' })
  const now = deps.now ?? (() => new Date())
  const app = new Hono()

  app.get('/', (c) => {
    const crcToken = c.req.query('crc_token')
    if (!crcToken) {
      return c.json({ error: { code: 'message_invalid', message: 'crc_token is required' } }, 400)
    }
    return c.json({ response_token: crcResponse(crcToken, deps.consumerSecret) }, 200)
  })

  app.post('/', async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer())
    if (!verifyXSignature(raw, c.req.header('x-twitter-webhooks-signature'), deps.consumerSecret)) {
      log.warn({ bytes: raw.byteLength }, 'x webhook signature missing or wrong')
      return c.json(
        {
          error: {
            code: 'signature_invalid',
            message: 'Missing or wrong x-twitter-webhooks-signature',
          },
        },
        401,
      )
    }
    let json: unknown
    try {
      json = JSON.parse(new TextDecoder().decode(raw))
    } catch {
      return c.json({ error: { code: 'message_invalid', message: 'Body is not valid JSON' } }, 400)
    }
    const body = XActivityBodySchema.safeParse(json)
    if (!body.success) {
      const message = `Body is not an Account Activity event: ${body.error.issues
        .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
        .join('; ')}`
      return c.json({ error: { code: 'message_invalid', message } }, 400)
    }
    const receivedAt = now().toISOString()
    const deliveryKey = createHash('sha256').update(raw).digest('hex').slice(0, 16)
    const { comments, skipped } = fromXActivity(body.data, {
      isKnownAccount: deps.isKnownAccount,
      receivedAt,
    })
    for (const skip of skipped) log.debug({ deliveryKey, ...skip }, 'x event skipped')
    if (comments.length > 0) {
      try {
        await deps.ingest(comments, { deliveryKey, receivedAt })
      } catch (err) {
        log.error(
          { deliveryKey, comments: comments.length, err: { name: (err as Error)?.name } },
          'x delivery not queued; asking X to redeliver',
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
        accountId: body.data.for_user_id,
        accepted: comments.length,
        skipped: skipped.length,
        tweetIds: comments.map((m) => m.commentId),
      },
      'x delivery accepted',
    )
    return c.json({ ok: true, accepted: comments.length }, 200)
  })

  return app
}
