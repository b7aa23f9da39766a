// The thread that owns the embedded PGlite database (see pglite-thread.ts, which starts it).
// @NOTE plain JavaScript on purpose: a worker thread does not inherit tsx or vitest's TypeScript
// loaders, and the compiled build copies this file as it is.
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'

const pg = await PGlite.create(workerData.dataDir ? { dataDir: workerData.dataDir } : {})
/** open transactions by id: the handle, and how to end them (true = commit) */
const open = new Map()
let nextTx = 1

// @NOTE without params the simple protocol runs (a migration script with many statements), as in
// pglite.ts; the rows of the last statement are the answer
async function run(target, sql, params) {
  if (params === undefined || params.length === 0) {
    const results = await target.exec(sql)
    return results.at(-1)?.rows ?? []
  }
  return (await target.query(sql, params)).rows
}

function begin() {
  const txId = nextTx++
  const entry = {}
  open.set(txId, entry)
  return new Promise((started, failed) => {
    entry.done = pg
      .transaction(async (tx) => {
        entry.tx = tx
        const commit = await new Promise((end) => {
          entry.end = end
          started(txId)
        })
        if (!commit) await tx.rollback()
      })
      .finally(() => open.delete(txId))
    // @NOTE answers the begin request only if BEGIN itself failed; a later failure (COMMIT)
    // answers the end request instead
    entry.done.catch(failed)
  })
}

async function end(txId, commit) {
  const entry = open.get(txId)
  if (!entry?.end) throw new Error(`audit db: transaction ${txId} is not open`)
  entry.end(commit)
  await entry.done
}

async function handle(msg) {
  switch (msg.op) {
    case 'query': {
      const target = msg.tx === undefined ? pg : open.get(msg.tx)?.tx
      if (!target) throw new Error(`audit db: transaction ${msg.tx} is not open`)
      return run(target, msg.sql, msg.params)
    }
    case 'begin':
      return begin()
    case 'end':
      return end(msg.tx, msg.commit)
    case 'close':
      await pg.close()
      return null
    default:
      throw new Error(`audit db: unknown operation ${msg.op}`)
  }
}

function errorData(err) {
  if (!(err instanceof Error)) return { message: String(err) }
  // the SQLSTATE and detail fields let the caller tell "database away" from "bad input"
  return { ...err, name: err.name, message: err.message }
}

/**
 * Serves one client: the thread that started this one, or another thread given a port of its
 * own (the service's workers thread). @NOTE a client that goes away mid-transaction would hold
 * PGlite's one transaction lock for ever: its open transactions are rolled back when it goes.
 */
function serve(port) {
  const mine = new Set()
  port.on('message', (msg) => {
    if (msg.op === 'port' || (msg.op === 'close' && port !== parentPort)) {
      // @NOTE only the thread that started this one closes the database; another client's
      // close ends its own connection
      if (msg.op === 'port') serve(msg.port)
      port.postMessage({ id: msg.id, result: null })
      return
    }
    handle(msg).then(
      (result) => {
        if (msg.op === 'begin') mine.add(result)
        if (msg.op === 'end') mine.delete(msg.tx)
        port.postMessage({ id: msg.id, result })
      },
      (err) => port.postMessage({ id: msg.id, error: errorData(err) }),
    )
  })
  port.on('close', () => {
    for (const txId of mine) open.get(txId)?.end?.(false)
    mine.clear()
  })
}

serve(parentPort)
parentPort.postMessage({ ready: true })
