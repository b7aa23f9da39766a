/**
 * Embedded PGlite on its own thread. PGlite is Postgres compiled to WebAssembly: every statement
 * runs synchronously on the thread that owns it. In the service that thread would be the one
 * answering webhooks, so a burst of audit writes delayed every acknowledgement (issue 16). Here
 * a worker thread owns the database and this side speaks the same Db interface to it by
 * messages, so the HTTP thread only ever waits on I/O.
 */
import { Worker } from 'node:worker_threads'
import {
  assertNotInOwnTransaction,
  createTxDb,
  type Db,
  newTxScope,
  type RunQuery,
  runInTransaction,
} from './db.js'

type Request =
  | { op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { op: 'begin' }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'close' }

type Reply = { id: number; result?: unknown; error?: Record<string, unknown> & { message: string } }

/** What a caller sees when the thread has gone: "the database is away" (db-errors.ts), not bad SQL. */
function threadGone(why: string): Error {
  return Object.assign(
    new Error(`audit db: the PGlite thread stopped (${why}); connection error`),
    {
      code: '08006',
    },
  )
}

/** Rebuilds the thread's error with its SQLSTATE and fields, so callers classify it as before. */
function rebuild(data: Reply['error'] & object): Error {
  const { message, name, stack: _stack, ...fields } = data
  return Object.assign(
    new Error(message),
    { name: typeof name === 'string' ? name : 'Error' },
    fields,
  )
}

/** Opens PGlite in `dataDir` (undefined: in memory) on a worker thread. */
export async function openPgliteThread(dataDir?: string): Promise<Db> {
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
    workerData: { dataDir: dataDir === 'memory://' ? undefined : dataDir },
  })
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let nextId = 1
  let gone: Error | undefined

  const failAll = (err: Error) => {
    gone ??= err
    for (const p of pending.values()) p.reject(gone)
    pending.clear()
  }
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
    worker.once('exit', (code) => reject(threadGone(`exit ${code} while opening`)))
  })
  worker.on('message', (msg: Reply | { ready: true }) => {
    if (!('id' in msg)) return
    const p = pending.get(msg.id)
    if (!p) return
    pending.delete(msg.id)
    if (msg.error) p.reject(rebuild(msg.error))
    else p.resolve(msg.result)
  })
  worker.on('error', (err) => failAll(threadGone(err.message)))
  worker.on('exit', (code) => failAll(threadGone(`exit ${code}`)))
  await ready

  const send = (req: Request): Promise<unknown> => {
    if (gone) return Promise.reject(gone)
    const id = nextId++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      worker.postMessage({ id, ...req })
    })
  }
  const runIn =
    (tx?: number): RunQuery =>
    (sql, params) =>
      send({ op: 'query', sql, params, tx }) as Promise<Record<string, unknown>[]>

  const root = {}
  const shared = new Map<string, unknown>()
  const run = runIn()
  return {
    kind: 'pglite',
    query: async <T>(sql: string, params?: unknown[]) => {
      assertNotInOwnTransaction(root)
      return (await run(sql, params)) as T[]
    },
    transaction: async <T>(fn: (tx: Db) => Promise<T>) => {
      assertNotInOwnTransaction(root)
      const { scope, end } = newTxScope(shared)
      const tx = (await send({ op: 'begin' })) as number
      try {
        let result: T
        try {
          result = await runInTransaction(root, () => fn(createTxDb('pglite', runIn(tx), scope)))
        } catch (err) {
          await send({ op: 'end', tx, commit: false }).catch(() => undefined)
          throw err
        }
        await send({ op: 'end', tx, commit: true })
        return result
      } finally {
        end()
      }
    },
    close: async () => {
      if (!gone) await send({ op: 'close' })
      gone ??= threadGone('closed')
      await worker.terminate()
    },
  }
}
