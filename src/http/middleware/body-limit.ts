import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit as streamingBodyLimit } from 'hono/body-limit'

/**
 * Refuses a request body over `maxSize` bytes with 413, without reading it when it can.
 * @NOTE hono's bodyLimit touches `c.req.raw.body` first, which makes @hono/node-server build a
 * full undici Request and a web stream for every POST: measured in bench/pipeline.ts, about 8 %
 * of the HTTP thread's busy time in the ack phase, on the path every webhook takes. A declared
 * Content-Length is enough on Node (its HTTP parser never delivers more bytes than declared), so
 * the body stays on node-server's fast path and is read once, by the handler. A body without a
 * length (chunked) still goes through hono's streaming check.
 */
export function bodyLimit(opts: {
  maxSize: number
  onError: (c: Context) => Response | Promise<Response>
}): MiddlewareHandler {
  const streaming = streamingBodyLimit(opts)
  return async (c, next) => {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next()
    const length = c.req.header('content-length')
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      const bytes = Number(length)
      if (!Number.isSafeInteger(bytes) || bytes < 0) return opts.onError(c)
      return bytes > opts.maxSize ? opts.onError(c) : next()
    }
    return streaming(c, next)
  }
}
