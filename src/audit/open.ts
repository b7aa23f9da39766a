import type { Db } from './db.js'
import { openPglite } from './pglite.js'
import { openPgliteThread } from './pglite-thread.js'
import { openPostgres } from './postgres.js'
import { lockStore } from './store-lock.js'

export type OpenDatabaseOptions = {
  /** postgres://… — when set, Postgres is used and dataDir is ignored */
  url?: string
  /** PGlite data directory; undefined or 'memory://' keeps it in memory */
  dataDir?: string
  /** Postgres pool size (default 10) */
  poolSize?: number
  /**
   * PGlite on a worker thread of its own (the service: its statements then never hold up the
   * thread that acknowledges webhooks); one-off CLI commands and tests open it in-thread
   */
  thread?: boolean
}

/** Opens the audit database: Postgres when a URL is given, else embedded PGlite. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Db> {
  if (opts.url) return openPostgres({ url: opts.url, poolSize: opts.poolSize })
  const open = opts.thread ? openPgliteThread : openPglite
  const { dataDir } = opts
  if (dataDir === undefined || dataDir === 'memory://') return open(dataDir)
  // one process per data directory: a second opener would overwrite the first one's pages
  const lock = lockStore(dataDir)
  let db: Db
  try {
    db = await open(dataDir)
  } catch (err) {
    lock.release()
    throw err
  }
  return {
    ...db,
    close: async () => {
      try {
        await db.close()
      } finally {
        lock.release()
      }
    },
  }
}
