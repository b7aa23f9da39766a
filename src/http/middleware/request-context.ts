import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import type { Logger } from 'pino'
import type { Metrics } from '../metrics.js'
import type { HonoEnv } from '../types.js'

const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/

/**
 * Request id (taken from x-request-id when it looks safe, else minted), a child logger, one
 * access-log line and the HTTP metrics. @NOTE logs name the route, never the query string:
 * Facebook's handshake puts the verify token there.
 */
export function requestContext(logger: Logger, metrics: Metrics): MiddlewareHandler<HonoEnv> {
  return async function requestContextMiddleware(c, next) {
    const incoming = c.req.header('x-request-id')
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID()
    const log = logger.child({ requestId })
    c.set('requestId', requestId)
    c.set('logger', log)
    c.header('x-request-id', requestId)
    const started = performance.now()
    await next()
    const matched = routePath(c, -1)
    const route = !matched || matched === '/*' ? 'unmatched' : matched
    const seconds = (performance.now() - started) / 1000
    const status = String(c.res.status)
    metrics.httpRequests.inc({ method: c.req.method, route, status })
    metrics.httpDuration.observe({ method: c.req.method, route }, seconds)
    if (route !== '/healthz' && route !== '/metrics') {
      log.info(
        { method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000) },
        'request',
      )
    }
  }
}
