import { createHash, timingSafeEqual } from 'node:crypto'
import { Hono } from 'hono'
import { fromLoopback } from '../client-address.js'
import type { Metrics } from '../metrics.js'
import type { HonoEnv } from '../types.js'

export type ReadinessCheck = { name: string; check: () => Promise<void> }

/**
 * /healthz: the process answers. /readyz: every dependency answers within a second (Redis,
 * the audit store), so a load balancer only sends traffic that can be enqueued and recorded.
 */
export function createHealthRoutes(deps: {
  checks: ReadinessCheck[]
  metrics: Metrics
  collectQueueMetrics?: () => Promise<void>
  /** GET /metrics needs `Authorization: Bearer <token>`; unset: loopback requests only */
  metricsToken?: string
  /** jobs in BullMQ's failed sets, per queue: shown on /readyz without making it fail */
  failedJobs?: () => Promise<Record<string, number>>
}) {
  const app = new Hono<HonoEnv>()
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.get('/readyz', async (c) => {
    const results = await Promise.all(
      deps.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 1_000)
          return [name, 'ok'] as const
        } catch (err) {
          c.get('logger')?.warn(
            { check: name, err: (err as Error).message },
            'readiness check failed',
          )
          return [name, 'failing'] as const
        }
      }),
    )
    const ready = results.every(([, r]) => r === 'ok')
    // @NOTE a failed job needs a person, not a new instance: it is shown, readiness unchanged
    const failedJobs = deps.failedJobs
      ? await withTimeout(deps.failedJobs(), 1_000).catch(() => undefined)
      : undefined
    return c.json(
      {
        status: ready ? 'ready' : 'not_ready',
        checks: Object.fromEntries(results),
        ...(failedJobs ? { failedJobs } : {}),
      },
      ready ? 200 : 503,
    )
  })
  app.get('/metrics', async (c) => {
    // @NOTE queue depths, failures and traffic tell an outsider a lot: a bearer token, or this
    // machine only (a scraper beside the service) when no token is set
    if (deps.metricsToken) {
      const sent = c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? ''
      if (!sameToken(sent, deps.metricsToken)) {
        c.header('www-authenticate', 'Bearer')
        return c.json({ error: { code: 'unauthorized', message: 'METRICS_TOKEN required' } }, 401)
      }
    } else if (!fromLoopback(c)) {
      const message = 'Set METRICS_TOKEN to scrape /metrics from another machine'
      return c.json({ error: { code: 'forbidden', message } }, 403)
    }
    await deps.collectQueueMetrics?.().catch(() => undefined)
    const body = await deps.metrics.registry.metrics()
    return c.body(body, 200, { 'content-type': deps.metrics.registry.contentType })
  })
  return app
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function sameToken(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest()
  const y = createHash('sha256').update(b).digest()
  return timingSafeEqual(x, y)
}
