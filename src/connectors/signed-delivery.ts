import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import type { Logger } from 'pino'
import type { z } from 'zod'
import type { CommentEnvelope } from '../pipeline/messages.js'
import type { Ingest } from './types.js'

export type SignedDeliveryOptions<S extends z.ZodType> = {
  platform: 'facebook' | 'x'
  /** the header that carries the signature, named in the 401 answer */
  signatureHeader: string
  verify(raw: Uint8Array, signature: string | undefined): boolean
  schema: S
  /** what the body should have been, for the 400 answer: "a Page webhook" */
  describe: string
  normalise(
    body: z.infer<S>,
    receivedAt: string,
  ): { comments: CommentEnvelope[]; skipped: object[] }
  ingest: Ingest
  log: Logger
  now: () => Date
  /** extra, text-free fields for the "accepted" log line */
  logFields?(body: z.infer<S>): Record<string, unknown>
}

/**
 * The POST half of a platform webhook, shared by Facebook and X: verify the signature on the
 * raw bytes (401), parse and validate (400), normalise, hand over to the pipeline, answer.
 * @NOTE never 200 for a delivery that was not queued: both platforms only redeliver after a
 * non-200, so a failed hand-over answers 503.
 */
export async function handleSignedDelivery<S extends z.ZodType>(
  c: Context,
  o: SignedDeliveryOptions<S>,
): Promise<Response> {
  const raw = new Uint8Array(await c.req.arrayBuffer())
  if (!o.verify(raw, c.req.header(o.signatureHeader))) {
    o.log.warn({ bytes: raw.byteLength }, `${o.platform} webhook signature missing or wrong`)
    const message = `Missing or wrong ${o.signatureHeader}`
    return c.json({ error: { code: 'signature_invalid', message } }, 401)
  }
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(raw))
  } catch {
    return c.json({ error: { code: 'message_invalid', message: 'Body is not valid JSON' } }, 400)
  }
  const body = o.schema.safeParse(json)
  if (!body.success) {
    const issues = body.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
    const message = `Body is not ${o.describe}: ${issues.join('; ')}`
    return c.json({ error: { code: 'message_invalid', message } }, 400)
  }
  const receivedAt = o.now().toISOString()
  const deliveryKey = createHash('sha256').update(raw).digest('hex').slice(0, 16)
  const { comments, skipped } = o.normalise(body.data, receivedAt)
  for (const skip of skipped) o.log.debug({ deliveryKey, ...skip }, `${o.platform} change skipped`)
  if (comments.length > 0) {
    try {
      await o.ingest(comments, { deliveryKey, receivedAt })
    } catch (err) {
      o.log.error(
        { deliveryKey, comments: comments.length, err: errorSummary(err) },
        `${o.platform} delivery not queued; asking the platform to redeliver`,
      )
      const message = 'Delivery not queued; retry later'
      return c.json({ error: { code: 'ingest_unavailable', message } }, 503)
    }
  }
  o.log.info(
    {
      deliveryKey,
      ...o.logFields?.(body.data),
      accepted: comments.length,
      skipped: skipped.length,
      commentIds: comments.map((m) => m.commentId),
    },
    `${o.platform} delivery accepted`,
  )
  return c.json({ ok: true, accepted: comments.length }, 200)
}

/** @NOTE ingest errors may wrap a queue payload; log the name and code only, never the message */
function errorSummary(err: unknown): { name: string; code?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return { name: err.name, ...(typeof code === 'string' ? { code } : {}) }
  }
  return { name: typeof err }
}
