import { Hono, type NotFoundHandler } from 'hono'
import type { Logger } from 'pino'
import type { Metrics } from './metrics.js'
import { bodyLimit } from './middleware/body-limit.js'
import { errorHandler } from './middleware/error-handler.js'
import { requestContext } from './middleware/request-context.js'
import { createHealthRoutes, type ReadinessCheck } from './routes/health.js'
import type { HonoEnv } from './types.js'

export type HttpAppOptions = {
  logger: Logger
  metrics: Metrics
  bodyLimitBytes: number
  checks: ReadinessCheck[]
  collectQueueMetrics?: () => Promise<void>
  failedJobs?: () => Promise<Record<string, number>>
  /** METRICS_TOKEN; unset: /metrics answers this machine only */
  metricsToken?: string
  /** send Strict-Transport-Security (PUBLIC_URL is https) */
  hsts?: boolean
  /** feature routers mounted by path, e.g. ['/webhooks/facebook', router] */
  mounts?: [string, Hono<HonoEnv> | Hono][]
  /** the answer for an unknown address (the web app's: a page for browsers, JSON otherwise) */
  notFound?: NotFoundHandler
}

/** The one Hono app: request context, body limit, health and metrics, then the feature routers. */
export function createHttpApp(opts: HttpAppOptions): Hono<HonoEnv> {
  const app = new Hono<HonoEnv>()
  app.use('*', requestContext(opts.logger, opts.metrics))
  if (opts.hsts) {
    // @NOTE served over https (PUBLIC_URL): browsers must never come back over plain http
    app.use('*', async (c, next) => {
      await next()
      c.header('strict-transport-security', 'max-age=31536000')
    })
  }
  app.use(
    '*',
    bodyLimit({
      maxSize: opts.bodyLimitBytes,
      onError: (c) =>
        c.json(
          {
            error: {
              code: 'body_too_large',
              message: `Request body is larger than ${opts.bodyLimitBytes} bytes`,
            },
          },
          413,
        ),
    }),
  )
  app.route('/', createHealthRoutes(opts))
  for (const [path, router] of opts.mounts ?? []) app.route(path, router as Hono<HonoEnv>)
  app.notFound(
    opts.notFound ??
      ((c) => c.json({ error: { code: 'not_found', message: 'No such route' } }, 404)),
  )
  app.onError(errorHandler())
  return app
}
