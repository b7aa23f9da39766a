import type { Db } from './db.js'
import { openPglite } from './pglite.js'
import { openPgliteThread } from './pglite-thread.js'
import { openPostgres } from './postgres.js'

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
export function openDatabase(opts: OpenDatabaseOptions): Promise<Db> {
  if (opts.url) return openPostgres({ url: opts.url, poolSize: opts.poolSize })
  return opts.thread ? openPgliteThread(opts.dataDir) : openPglite(opts.dataDir)
}
