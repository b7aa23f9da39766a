import { Hono } from 'hono'
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
