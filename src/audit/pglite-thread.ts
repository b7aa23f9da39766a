/**
 * Embedded PGlite on its own thread. PGlite is Postgres compiled to WebAssembly: every statement
 * runs synchronously on the thread that owns it. In the service that thread would be the one
 * answering webhooks, so a burst of audit writes delayed every acknowledgement (issue 16). Here
 * a worker thread owns the database and this side speaks the same Db interface to it by
 * messages, so the HTTP thread only ever waits on I/O.
 */
import { MessageChannel, type MessagePort, type Transferable, Worker } from 'node:worker_threads'
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
  | { op: 'port'; port: MessagePort }

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

/** The embedded database as the service's thread sees it: one more client can be let in. */
export type PgliteThreadDb = Db & {
  /**
   * A port for another thread (the service's workers thread) to speak to the same database
   * through dbOverPort(): PGlite allows one opener, so every thread goes through its owner.
   */
  newPort(): Promise<MessagePort>
}

/** Opens PGlite in `dataDir` (undefined: in memory) on a worker thread. */
export async function openPgliteThread(dataDir?: string): Promise<PgliteThreadDb> {
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
    workerData: { dataDir: dataDir === 'memory://' ? undefined : dataDir },
  })
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
    worker.once('exit', (code) => reject(threadGone(`exit ${code} while opening`)))
  })
  const client = clientOf(worker)
  worker.on('error', (err) => client.fail(threadGone(err.message)))
  worker.on('exit', (code) => client.fail(threadGone(`exit ${code}`)))
  await ready
  return {
    ...dbOf(client, async () => {
      await client.send({ op: 'close' }).catch(() => undefined)
      await worker.terminate()
    }),
    newPort: async () => {
      const { port1, port2 } = new MessageChannel()
      await client.send({ op: 'port', port: port2 }, [port2])
      return port1
    },
  }
}

/** How another thread reaches this database, when it is PGlite on its own thread. */
export function newPortOf(db: Db): (() => Promise<MessagePort>) | null {
  const newPort = (db as Partial<PgliteThreadDb>).newPort
  return typeof newPort === 'function' ? newPort : null
}

/** The same database from another thread, through a port from newPort(). */
export function dbOverPort(port: MessagePort): Db {
  const client = clientOf(port)
  port.on('close', () => client.fail(threadGone('port closed')))
  return dbOf(client, async () => {
    await client.send({ op: 'close' }).catch(() => undefined)
    port.close()
  })
}

type Client = {
  send(req: Request, transfer?: Transferable[]): Promise<unknown>
  /** every waiting and later request fails with `err` (the thread or port has gone) */
  fail(err: Error): void
}

/** Requests and their answers, matched by id, over a worker or a port. */
function clientOf(target: Worker | MessagePort): Client {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let nextId = 1
  let gone: Error | undefined
  target.on('message', (msg: Reply | { ready: true }) => {
    if (!('id' in msg)) return
    const p = pending.get(msg.id)
    if (!p) return
    pending.delete(msg.id)
    if (msg.error) p.reject(rebuild(msg.error))
    else p.resolve(msg.result)
  })
  return {
    send(req, transfer) {
      if (gone) return Promise.reject(gone)
      const id = nextId++
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        target.postMessage({ id, ...req }, transfer)
      })
    },
    fail(err) {
      gone ??= err
      for (const p of pending.values()) p.reject(gone)
      pending.clear()
    },
  }
}

/** The Db interface over a client: statements, transactions by id, and close. */
function dbOf(client: Client, closeClient: () => Promise<void>): Db {
  const runIn =
    (tx?: number): RunQuery =>
    (sql, params) =>
      client.send({ op: 'query', sql, params, tx }) as Promise<Record<string, unknown>[]>
  const root = {}
  const shared = new Map<string, unknown>()
  const run = runIn()
  let closed = false
  return {
    kind: 'pglite',
    query: async <T>(sql: string, params?: unknown[]) => {
      assertNotInOwnTransaction(root)
      return (await run(sql, params)) as T[]
    },
    transaction: async <T>(fn: (tx: Db) => Promise<T>) => {
      assertNotInOwnTransaction(root)
      const { scope, end } = newTxScope(shared)
      const tx = (await client.send({ op: 'begin' })) as number
      try {
        let result: T
        try {
          result = await runInTransaction(root, () => fn(createTxDb('pglite', runIn(tx), scope)))
        } catch (err) {
          await client.send({ op: 'end', tx, commit: false }).catch(() => undefined)
          throw err
        }
        await client.send({ op: 'end', tx, commit: true })
        return result
      } finally {
        end()
      }
    },
    close: async () => {
      if (closed) return
      closed = true
      await closeClient()
      client.fail(threadGone('closed'))
    },
  }
}
