import type { Db } from './db.js'
import { openPglite } from './pglite.js'
import { openPostgres } from './postgres.js'

export type OpenDatabaseOptions = {
  /** postgres://… — when set, Postgres is used and dataDir is ignored */
  url?: string
  /** PGlite data directory; undefined or 'memory://' keeps it in memory */
  dataDir?: string
  /** Postgres pool size (default 10) */
  poolSize?: number
}

/** Opens the audit database: Postgres when a URL is given, else embedded PGlite. */
export function openDatabase(opts: OpenDatabaseOptions): Promise<Db> {
  if (opts.url) return openPostgres({ url: opts.url, poolSize: opts.poolSize })
  return openPglite(opts.dataDir)
}
