import { Hono } from 'hono'
import type { Logger } from 'pino'
import { connectorLogger } from '../../logger.js'
import { handleSignedDelivery } from '../signed-delivery.js'
import type { Ingest } from '../types.js'
import { crcResponse, isCrcToken } from './crc.js'
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
    if (!isCrcToken(crcToken)) {
      log.warn({ length: crcToken.length }, "x CRC refused: the token is not shaped like X's")
      const message = 'crc_token must be 8 to 128 base64 characters'
      return c.json({ error: { code: 'message_invalid', message } }, 400)
    }
    return c.json({ response_token: crcResponse(crcToken, deps.consumerSecret) }, 200)
  })

  app.post('/', (c) =>
    handleSignedDelivery(c, {
      platform: 'x',
      signatureHeader: 'x-twitter-webhooks-signature',
      verify: (raw, signature) => verifyXSignature(raw, signature, deps.consumerSecret),
      schema: XActivityBodySchema,
      describe: 'an Account Activity event',
      normalise: (body, receivedAt) =>
        fromXActivity(body, { isKnownAccount: deps.isKnownAccount, receivedAt }),
      ingest: deps.ingest,
      log,
      now,
      logFields: (body) => ({ accountId: body.for_user_id }),
    }),
  )

  return app
}
