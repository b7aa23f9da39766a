/**
 * The moderate and act workers of a one-process service on a worker thread of their own
 * (WORKERS=thread, the default). @NOTE classification and the act stage's audit writes are CPU
 * work; on the thread that answers webhooks they made every acknowledgement wait (issue 16).
 * Here that thread only verifies, enqueues and answers, the workers thread runs at WORKER_NICE
 * (a Linux thread has its own priority), and a workers thread that dies is started again.
 *
 * With the embedded store the workers thread also owns PGlite: the act stage's audit writes are
 * most of the store's work, and a store on a third thread made every statement a round trip
 * between threads on a two-core machine. The HTTP thread's own reads and writes (the web app,
 * accounts) reach it by a port.
 */
import { MessageChannel, type Worker } from 'node:worker_threads'
import type { Db } from '../audit/db.js'
import { dbOverPorts } from '../audit/db-port.js'
import type { Config } from '../config/load.js'
import { AppError, ConfigError, type ErrorCode } from '../errors.js'
import type { Metrics } from '../http/metrics.js'
import { serviceLogger } from '../logger.js'
import { startThread } from '../start-thread.js'

export type ToThread = { kind: 'stop' }
export type ToMain =
  | { kind: 'ready' }
  | { kind: 'stopped' }
  | {
      kind: 'failed'
      message: string
      /** what kind of error it was, so the CLI answers as it would in one thread (exit 2) */
      error: 'config' | ErrorCode | null
    }
  | {
      kind: 'metric'
      name: 'decisions' | 'decisionCategories' | 'platformActions'
      args: unknown[]
    }

export type WorkersThread = {
  /** how many times the thread has been started (1 until it dies and is started again) */
  readonly starts: number
  /** the running thread's id, for tests that end it as a crash would */
  readonly threadId: number
  /**
   * the embedded store as the HTTP thread reaches it (null with Postgres): requests fail as
   * "database away" while the thread is being started again
   */
  readonly db: Db | null
  /** ends the thread at once, as a crash would: it is started again (tests, operators' drills) */
  kill(): Promise<void>
  stop(): Promise<void>
}

export type WorkersThreadDeps = {
  /** the service's config, with REDIS_URL naming the Redis the main thread uses */
  config: Config
  /**
   * PGlite: the data directory the thread opens (this process holds its lock); null: the thread
   * opens Postgres from DATABASE_URL
   */
  store: { dataDir: string } | null
  /** the main thread's metrics: the thread's counters are added to them */
  metrics: Metrics
  /** how long stop() waits for in-flight jobs before ending the thread */
  stopBudgetMs?: number
}

const RESTART_MIN_MS = 1_000
const RESTART_MAX_MS = 30_000

/** Starts the thread; resolves once its workers run, rejects if the first start fails. */
export async function startWorkersThread(deps: WorkersThreadDeps): Promise<WorkersThread> {
  let worker: Worker
  let starts = 0
  let stopping = false
  let restartDelay = RESTART_MIN_MS
  let restartTimer: NodeJS.Timeout | null = null

  const store = deps.store ? dbOverPorts() : null

  const spawn = async (): Promise<void> => {
    const channel = store ? new MessageChannel() : null
    const port = channel?.port2 ?? null
    starts++
    const w = startThread(import.meta.url, 'workers-thread-entry', {
      workerData: { config: deps.config, store: deps.store, port },
      transferList: port ? [port] : [],
      // @NOTE a thread's stdout is not a terminal: it formats its logs as the main thread does
      env: { ...process.env, LOG_FORMAT: logFormat() },
    })
    worker = w
    await new Promise<void>((resolve, reject) => {
      let ready = false
      w.on('message', (msg: ToMain) => {
        if (msg.kind === 'metric') {
          const counter = deps.metrics[msg.name] as { inc: (...args: unknown[]) => void }
          counter.inc(...msg.args)
        } else if (msg.kind === 'ready') {
          ready = true
          if (channel) store?.attach(channel.port1)
          restartDelay = RESTART_MIN_MS
          resolve()
        } else if (msg.kind === 'failed') {
          reject(startError(msg.message, msg.error))
        }
      })
      w.on('error', (err) => {
        serviceLogger.error({ err: err.message }, 'the workers thread failed')
        if (!ready) reject(err)
      })
      w.on('exit', (code) => {
        if (!ready) reject(new Error(`the workers thread stopped while starting (exit ${code})`))
        else if (!stopping) restartLater(code)
      })
    })
  }

  // @NOTE jobs it held go back to their queues when their locks lapse (WORKER_LOCK_MS); an audit
  // transaction it left open never committed: Postgres rolls it back, and PGlite, which died
  // with the thread, recovers from its write-ahead log when the next thread opens it
  const restartLater = (code: number) => {
    serviceLogger.error(
      { exitCode: code, restartInMs: restartDelay },
      'the workers thread stopped; starting it again',
    )
    restartTimer = setTimeout(() => {
      restartTimer = null
      if (stopping) return
      spawn().catch((err) => {
        if (!stopping) restartLater(-1)
        serviceLogger.error({ err: (err as Error).message }, 'the workers thread did not start')
      })
    }, restartDelay)
    restartDelay = Math.min(restartDelay * 2, RESTART_MAX_MS)
  }

  await spawn()
  return {
    get starts() {
      return starts
    },
    db: store?.db ?? null,
    get threadId() {
      return worker.threadId
    },
    async kill() {
      await worker.terminate()
    },
    async stop() {
      stopping = true
      if (restartTimer) clearTimeout(restartTimer)
      const w = worker
      if (w.threadId < 0) return
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()))
      w.postMessage({ kind: 'stop' } satisfies ToThread)
      const budget = deps.stopBudgetMs ?? 12_000
      const timer = setTimeout(() => void w.terminate(), budget)
      await exited
      clearTimeout(timer)
    },
  }
}

/** The thread's start-up error as the main thread throws it: a wrong key is still a ConfigError. */
function startError(message: string, error: 'config' | ErrorCode | null): Error {
  if (error === 'config') return new ConfigError(message)
  if (error) return new AppError(error, message)
  return new Error(`the workers thread could not start: ${message}`)
}

function logFormat(): string {
  const format = process.env.LOG_FORMAT
  if (format === 'json' || format === 'pretty') return format
  return process.stdout.isTTY === true ? 'pretty' : 'json'
}
