/**
 * The workers thread of a one-process service (workers-thread.ts starts it): the same service as
 * a `--role worker` process, on the Redis the main thread started. With the embedded store it
 * opens PGlite here and serves it to the main thread by a port; with Postgres it opens its own
 * pool. Its metrics go back to the main thread, which serves /metrics.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads'
import type { Db } from '../audit/db.js'
import { serveDb } from '../audit/db-port.js'
import { migrated } from '../audit/migrate.js'
import { openPglite } from '../audit/pglite.js'
import type { Config } from '../config/load.js'
import { ConfigError, isAppError } from '../errors.js'
import { createMetrics, type Metrics } from '../http/metrics.js'
import { serviceLogger } from '../logger.js'
import { WardguardService } from '../service.js'
import type { ToMain, ToThread } from './workers-thread.js'

const { config, store, port } = workerData as {
  config: Config
  store: { dataDir: string } | null
  port: MessagePort | null
}
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

/** PGlite, opened and migrated here, and served to the main thread (which holds its lock). */
async function openStore(dataDir: string, port: MessagePort): Promise<Db> {
  const db = await migrated(await openPglite(dataDir))
  serveDb(port, db)
  return db
}

try {
  const db = store && port ? await openStore(store.dataDir, port) : null
  const service = await WardguardService.start(config, {
    role: 'worker',
    // @NOTE with Postgres the service opens its own pool from DATABASE_URL
    ...(db ? { db } : {}),
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
  toMain({
    kind: 'failed',
    message: (err as Error).message,
    error: err instanceof ConfigError ? 'config' : isAppError(err) ? err.code : null,
  })
  process.exit(1)
}
