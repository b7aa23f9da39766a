/**
 * The moderate and act workers of a one-process service on a worker thread of their own
 * (WORKERS=thread, the default). @NOTE classification and the act stage's audit writes are CPU
 * work; on the thread that answers webhooks they made every acknowledgement wait (issue 16).
 * Here that thread only verifies, enqueues and answers, the workers thread runs at WORKER_NICE
 * (a Linux thread has its own priority), and a workers thread that dies is started again.
 */
import type { MessagePort } from 'node:worker_threads'
import { Worker } from 'node:worker_threads'
import type { Config } from '../config/load.js'
import type { Metrics } from '../http/metrics.js'
import { serviceLogger } from '../logger.js'

export type ToThread = { kind: 'stop' }
export type ToMain =
  | { kind: 'ready' }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: string }
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
  /** ends the thread at once, as a crash would: it is started again (tests, operators' drills) */
  kill(): Promise<void>
  stop(): Promise<void>
}

export type WorkersThreadDeps = {
  /** the service's config, with REDIS_URL naming the Redis the main thread uses */
  config: Config
  /** PGlite: a port to the database thread for each start; null: the thread opens Postgres */
  newPort: (() => Promise<MessagePort>) | null
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

  const spawn = async (): Promise<void> => {
    const port = deps.newPort ? await deps.newPort() : null
    starts++
    const w = new Worker(entryUrl(), {
      workerData: { config: deps.config, port },
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
          restartDelay = RESTART_MIN_MS
          resolve()
        } else if (msg.kind === 'failed') {
          reject(new Error(`the workers thread could not start: ${msg.message}`))
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

  // @NOTE jobs it held go back to their queues when their locks lapse (WORKER_LOCK_MS); its
  // open audit transaction was rolled back by the database thread when its port closed
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

/** Run from the TypeScript sources (tsx, vitest), not the compiled build. */
const fromSources = () => import.meta.url.endsWith('.ts')

function entryUrl(): URL {
  const entry = fromSources() ? './workers-thread-tsx.mjs' : './workers-thread-entry.js'
  return new URL(entry, import.meta.url)
}

function logFormat(): string {
  const format = process.env.LOG_FORMAT
  if (format === 'json' || format === 'pretty') return format
  return process.stdout.isTTY === true ? 'pretty' : 'json'
}
