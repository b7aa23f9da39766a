/**
 * The workers thread of a one-process service (workers-thread.ts starts it): the same service as
 * a `--role worker` process, on the database the main thread opened and the Redis it started.
 * Its metrics go back to the main thread, which serves /metrics.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads'
import { dbOverPort } from '../audit/pglite-thread.js'
import type { Config } from '../config/load.js'
import { createMetrics, type Metrics } from '../http/metrics.js'
import { serviceLogger } from '../logger.js'
import { WardguardService } from '../service.js'
import type { ToMain, ToThread } from './workers-thread.js'

const { config, port } = workerData as { config: Config; port: MessagePort | null }
const toMain = (msg: ToMain) => parentPort?.postMessage(msg)

/** Counters the pipeline adds to, each addition also told to the main thread. */
function forwardedMetrics(): Metrics {
  const metrics = createMetrics({ defaultMetrics: false })
  for (const name of ['decisions', 'decisionCategories', 'platformActions'] as const) {
    const counter = metrics[name]
    const inc = counter.inc.bind(counter) as (...args: unknown[]) => void
    ;(counter as { inc: (...args: unknown[]) => void }).inc = (...args) => {
      inc(...args)
      toMain({ kind: 'metric', name, args })
    }
  }
  return metrics
}

try {
  const service = await WardguardService.start(config, {
    role: 'worker',
    // @NOTE PGlite has one opener (the main thread's database thread): this thread reaches it
    // by a port; with Postgres it opens its own pool from DATABASE_URL
    ...(port ? { db: dbOverPort(port) } : {}),
    metrics: forwardedMetrics(),
  })
  parentPort?.on('message', (msg: ToThread) => {
    if (msg.kind !== 'stop') return
    // @NOTE ends the thread (not the process) once its jobs are done: a timer or socket left
    // open must not keep it, and the main thread, waiting
    void service.stop().finally(() => {
      toMain({ kind: 'stopped' })
      process.exit(0)
    })
  })
  toMain({ kind: 'ready' })
} catch (err) {
  serviceLogger.error({ err: (err as Error).message }, 'the workers thread could not start')
  toMain({ kind: 'failed', message: (err as Error).message })
  process.exit(1)
}
