/**
 * The thread that owns the embedded PGlite database (pglite-thread.ts starts it) and serves it to
 * the thread that started it.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { serveDb } from './db-port.js'
import { openPglite } from './pglite.js'

const { dataDir } = workerData as { dataDir?: string }
const port = parentPort
if (port) {
  const db = await openPglite(dataDir)
  serveDb(port, db, () => db.close())
  port.postMessage({ kind: 'ready' })
}
