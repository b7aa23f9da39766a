import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

/**
 * Where a request came from. @NOTE x-forwarded-for is believed only with TRUST_PROXY, and then
 * only its last entry: the one our own proxy appended (earlier ones are the client's to forge).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim()
    if (forwarded) return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    // app.request() in tests, or another adapter: no socket to ask
    return 'unknown'
  }
}

/** Whether the request reached us over TLS, directly or (with TRUST_PROXY) through our proxy. */
export function cameOverTls(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true
  if (!trustProxy) return false
  return c.req.header('x-forwarded-proto')?.split(',').at(-1)?.trim() === 'https'
}

/**
 * Whether the request came from this machine itself. @NOTE anything a proxy forwarded is not,
 * whatever TRUST_PROXY says: a proxy on the same machine connects from loopback too.
 */
export function fromLoopback(c: Context): boolean {
  if (c.req.header('x-forwarded-for') || c.req.header('forwarded')) return false
  const address = clientAddress(c, false)
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1'
}
