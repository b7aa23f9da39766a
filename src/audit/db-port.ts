/**
 * One database, reached from another thread by messages. PGlite is Postgres compiled to
 * WebAssembly: every statement runs synchronously on the thread that opened it, and only one
 * opener is allowed. The thread that owns it serves its Db on a MessagePort (serveDb); another
 * thread speaks the same Db interface through that port (dbOverPorts). Statements, transactions by
 * id, and errors with their SQLSTATE cross unchanged, so callers classify them as before.
 */
import type { MessagePort, Transferable } from 'node:worker_threads'
import { type Db, oneConnectionDb, type RunQuery } from './db.js'

type Request =
  | { op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { op: 'begin' }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'close' }

type Reply = { id: number; result?: unknown; error?: Record<string, unknown> & { message: string } }

/** A MessagePort, or a worker thread's parentPort, or a Worker seen from its parent. */
export type PortLike = {
  on(event: 'message' | 'close' | 'exit', fn: (arg: unknown) => void): unknown
  postMessage(msg: unknown, transfer?: readonly Transferable[]): void
}

/** What a caller sees when the owner has gone: "the database is away" (db-errors.ts), not bad SQL. */
export function threadGone(why: string): Error {
  return Object.assign(
    new Error(`audit db: the database thread stopped (${why}); connection error`),
    { code: '08006' },
  )
}

/**
 * Serves `db` to the thread at the other end of `port` until it closes. The client's close ends
 * its own connection only: the owner closes the database. @NOTE a client that goes away
 * mid-transaction would hold PGlite's one transaction lock for ever, so its open transactions
 * roll back when its port closes; transaction ids are the port's own, so a stale id from one
 * client can never reach another client's transaction.
 */
export function serveDb(port: PortLike, db: Db, closeDb?: () => Promise<void>): void {
  const open = new Map<number, Served>()
  let nextTx = 1

  const begin = () =>
    new Promise<number>((started, failed) => {
      const id = nextTx++
      const entry = { end: (_commit: boolean) => undefined } as Served
      entry.done = db
        .transaction(
          (tx) =>
            new Promise<void>((commit, rollback) => {
              entry.tx = tx
              entry.end = (c) => (c ? commit() : rollback(ROLLBACK))
              open.set(id, entry)
              started(id)
            }),
        )
        .catch((err) => {
          if (err === ROLLBACK) return
          // @NOTE answers the begin request if BEGIN itself failed; a failed COMMIT answers
          // the end request instead
          if (!entry.tx) failed(err)
          else throw err
        })
        .finally(() => open.delete(id))
      entry.done.catch(() => undefined)
    })

  const handle = async (msg: Request): Promise<unknown> => {
    switch (msg.op) {
      case 'query': {
        const target = msg.tx === undefined ? db : open.get(msg.tx)?.tx
        if (!target) throw new Error(`audit db: transaction ${msg.tx} is not open`)
        return target.query(msg.sql, msg.params)
      }
      case 'begin':
        return begin()
      case 'end': {
        const entry = open.get(msg.tx)
        if (!entry) throw new Error(`audit db: transaction ${msg.tx} is not open`)
        entry.end(msg.commit)
        await entry.done
        return null
      }
      case 'close':
        await closeDb?.()
        return null
    }
  }

  port.on('message', (raw) => {
    // @NOTE our own thread's messages, made by dbOf() below
    const msg = raw as Request & { id: number }
    handle(msg).then(
      (result) => port.postMessage({ id: msg.id, result } satisfies Reply),
      (err) => port.postMessage({ id: msg.id, error: errorData(err) } satisfies Reply),
    )
  })
  port.on('close', () => {
    for (const entry of open.values()) entry.end(false)
  })
}

/** A transaction a client opened: its handle, how to end it, and the end's outcome. */
type Served = { tx?: Db; end: (commit: boolean) => void; done: Promise<void> }
const ROLLBACK = new Error('rolled back by the client')

function errorData(err: unknown): Reply['error'] {
  if (!(err instanceof Error)) return { message: String(err) }
  // the SQLSTATE and detail fields let the caller tell "database away" from "bad input"
  return { ...err, name: err.name, message: err.message }
}

/** Rebuilds the owner's error with its SQLSTATE and fields. */
function rebuild(data: NonNullable<Reply['error']>): Error {
  const { message, name, stack: _stack, ...fields } = data
  return Object.assign(
    new Error(message),
    { name: typeof name === 'string' ? name : 'Error' },
    fields,
  )
}

/**
 * A database whose owner may stop and start again (the workers thread, started again after a
 * crash): attach() each new port. While none is attached, every request fails at once as
 * "database away", which the web app answers with 503 and the health check reports.
 */
export function dbOverPorts(): { db: Db; attach(port: MessagePort): void } {
  let current: Client = goneClient(threadGone('not started'))
  const client: Client = {
    send: (req, transfer) => current.send(req, transfer),
    fail: (err) => current.fail(err),
  }
  return {
    db: dbOf(client, async () => client.fail(threadGone('closed'))),
    attach(port) {
      const next = clientOf(port)
      port.on('close', () => next.fail(threadGone('the thread stopped')))
      current.fail(threadGone('replaced'))
      current = next
    },
  }
}

/** A database over the thread that owns it, started by its parent (pglite-thread.ts). */
export function dbOverWorker(worker: PortLike, closeWorker: () => Promise<void>): Db {
  const client = clientOf(worker)
  worker.on('exit', () => client.fail(threadGone('exit')))
  return dbOf(client, async () => {
    await client.send({ op: 'close' }).catch(() => undefined)
    await closeWorker()
  })
}

type Client = {
  send(req: Request, transfer?: Transferable[]): Promise<unknown>
  /** every waiting and later request fails with `err` (the thread or port has gone) */
  fail(err: Error): void
}

function goneClient(err: Error): Client {
  return { send: () => Promise.reject(err), fail: () => undefined }
}

/** Requests and their answers, matched by id. */
function clientOf(target: PortLike): Client {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let nextId = 1
  let gone: Error | undefined
  target.on('message', (raw) => {
    const msg = raw as Reply | { kind: string }
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
  let closed = false
  return oneConnectionDb(
    'pglite',
    runIn(),
    async (body) => {
      const tx = (await client.send({ op: 'begin' })) as number
      let result: Awaited<ReturnType<typeof body>>
      try {
        result = await body(runIn(tx))
      } catch (err) {
        await client.send({ op: 'end', tx, commit: false }).catch(() => undefined)
        throw err
      }
      await client.send({ op: 'end', tx, commit: true })
      return result
    },
    async () => {
      if (closed) return
      closed = true
      await closeClient()
      client.fail(threadGone('closed'))
    },
  )
}
