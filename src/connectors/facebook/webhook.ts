import { createHash, timingSafeEqual } from 'node:crypto'
import { Hono } from 'hono'
import type { Logger } from 'pino'
import { connectorLogger } from '../../logger.js'
import { handleSignedDelivery } from '../signed-delivery.js'
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

  app.post('/', (c) =>
    handleSignedDelivery(c, {
      platform: 'facebook',
      signatureHeader: 'X-Hub-Signature-256',
      verify: (raw, signature) => verifyFacebookSignature(raw, signature, deps.appSecret),
      schema: FacebookWebhookBodySchema,
      describe: 'a Page webhook',
      normalise: (body, receivedAt) =>
        fromFacebookWebhook(body, { isKnownPage: deps.isKnownPage, receivedAt }),
      ingest: deps.ingest,
      log,
      now,
    }),
  )

  return app
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return expected.length > 0 && timingSafeEqual(a, b)
}
