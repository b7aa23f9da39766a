/**
 * Embedded PGlite on its own thread. PGlite is Postgres compiled to WebAssembly: every statement
 * runs synchronously on the thread that owns it. In the service that thread would be the one
 * answering webhooks, so a burst of audit writes delayed every acknowledgement (issue 16). Here
 * a worker thread owns the database (pglite-thread-entry.ts) and this side speaks the same Db
 * interface to it by messages (db-port.ts), so the calling thread only ever waits on I/O.
 * @NOTE the service's default, workers on a thread of their own, opens PGlite on that thread
 * instead (workers-thread-entry.ts): its statements then cross no thread at all.
 */
import { startThread } from '../start-thread.js'
import type { Db } from './db.js'
import { dbOverWorker, threadGone } from './db-port.js'

/** Opens PGlite in `dataDir` (undefined: in memory) on a worker thread. */
export async function openPgliteThread(dataDir?: string): Promise<Db> {
  const worker = startThread(import.meta.url, 'pglite-thread-entry', {
    workerData: { dataDir: dataDir === 'memory://' ? undefined : dataDir },
  })
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
    worker.once('exit', (code) => reject(threadGone(`exit ${code} while opening`)))
  })
  const db = dbOverWorker(worker, async () => void (await worker.terminate()))
  worker.on('error', () => undefined)
  await ready
  return db
}
