import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { auditLogger } from '../logger.js'
import type { Db } from './db.js'

export type Migration = { name: string; sql: string; checksum: string }

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url)
const MIGRATION_FILE = /^\d{4}-[a-z0-9-]+\.sql$/
// @NOTE any fixed number: every process that migrates this database takes the same lock
const MIGRATION_LOCK = 748_213_001

/** The .sql files of a migrations directory, in name order. */
export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => MIGRATION_FILE.test(name)).sort()
  return Promise.all(
    names.map(async (name) => {
      const sql = (await readFile(new URL(name, dir), 'utf8')).replaceAll('\r\n', '\n')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    }),
  )
}

/** A database just opened, migrated; closed again if a migration fails, so nothing is left open. */
export async function migrated(db: Db): Promise<Db> {
  try {
    await migrate(db)
  } catch (err) {
    await db.close()
    throw err
  }
  return db
}

/**
 * Applies the pending migrations in order, each in its own transaction. On Postgres two
 * processes starting at once queue on an advisory lock; the second finds the work done.
 */
export async function migrate(db: Db, migrations?: Migration[]): Promise<{ applied: string[] }> {
  const all = migrations ?? (await loadMigrations())
  const done = await appliedChecksums(db)
  const applied: string[] = []
  for (const m of all) {
    if (done.has(m.name)) {
      assertUnchanged(m, done.get(m.name))
      continue
    }
    const ran = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
      await tx.query(CREATE_LEDGER)
      const rows = await tx.query<{ checksum: string }>(
        'select checksum from schema_migration where name = $1',
        [m.name],
      )
      if (rows[0]) {
        assertUnchanged(m, rows[0].checksum)
        return false
      }
      await tx.query(m.sql)
      await tx.query('insert into schema_migration (name, checksum) values ($1, $2)', [
        m.name,
        m.checksum,
      ])
      return true
    })
    if (ran) applied.push(m.name)
  }
  if (applied.length > 0) auditLogger.info({ applied }, 'audit migrations applied')
  return { applied }
}

const CREATE_LEDGER = `create table if not exists schema_migration (
  name       text primary key,
  checksum   text not null,
  applied_at timestamptz not null default now()
)`

async function appliedChecksums(db: Db): Promise<Map<string, string>> {
  const [ledger] = await db.query<{ exists: boolean }>(
    `select to_regclass('schema_migration') is not null as exists`,
  )
  if (!ledger?.exists) return new Map()
  const rows = await db.query<{ name: string; checksum: string }>(
    'select name, checksum from schema_migration',
  )
  return new Map(rows.map((r) => [r.name, r.checksum]))
}

// @NOTE an applied migration is history: editing it would make databases differ silently
function assertUnchanged(m: Migration, checksum: string | undefined): void {
  if (checksum !== m.checksum) {
    throw new Error(`audit migration ${m.name} was changed after it was applied; add a new one`)
  }
}
