import type { ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { isAppError } from '../../errors.js'
import type { HonoEnv } from '../types.js'

/**
 * Known errors become a status and `{ error: { code, message } }`; anything else is a 500 whose
 * details stay in the log (by request id), so internals never leak to a caller.
 */
export function errorHandler(): ErrorHandler<HonoEnv> {
  return function handleError(err, c) {
    const log = c.get('logger')
    if (err instanceof HTTPException) {
      return c.json({ error: { code: 'http_error', message: err.message } }, err.status)
    }
    if (isAppError(err) && (err.code === 'signature_invalid' || err.code === 'message_invalid')) {
      const status = err.code === 'signature_invalid' ? 401 : 400
      return c.json({ error: { code: err.code, message: err.message } }, status)
    }
    if (isAppError(err) && err.code === 'dependency_unavailable') {
      // @NOTE the store or the queue is away: callers (and platforms) should come back shortly
      log?.warn({ code: err.code }, 'dependency unavailable')
      c.header('retry-after', '5')
      return c.json({ error: { code: err.code, message: 'Temporarily unavailable' } }, 503)
    }
    log?.error({ err }, 'unhandled error')
    return c.json(
      { error: { code: 'internal', message: 'Internal error', requestId: c.get('requestId') } },
      500,
    )
  }
}
