/** The audit store for one-off CLI commands: Postgres when DATABASE_URL is set, else DATA_DIR's PGlite. */
import path from 'node:path'
import { type Db, migrated, openDatabase } from '../audit/index.js'
import type { Env } from '../config/env.js'

/**
 * @NOTE PGlite is one process's database: with the embedded store, stop the service before
 * running these commands (Postgres has no such limit).
 */
export async function openAuditStore(env: Pick<Env, 'DATABASE_URL' | 'DATA_DIR'>): Promise<Db> {
  return migrated(
    await openDatabase(
      env.DATABASE_URL
        ? { url: env.DATABASE_URL }
        : { dataDir: path.join(path.resolve(env.DATA_DIR), 'pglite') },
    ),
  )
}

export async function withAuditStore<T>(
  env: Pick<Env, 'DATABASE_URL' | 'DATA_DIR'>,
  fn: (db: Db) => Promise<T>,
): Promise<T> {
  const db = await openAuditStore(env)
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}
