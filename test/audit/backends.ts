/**
 * The databases every audit store test runs against: PGlite always, Postgres too when
 * TEST_DATABASE_URL is set. Each Postgres test database is created for the occasion and dropped
 * afterwards, so test files running in parallel never share one.
 */
import { randomBytes } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { Db } from '../../src/audit/db.js'
import { migrate } from '../../src/audit/migrate.js'
import { wrapPglite } from '../../src/audit/pglite.js'
import { openPostgres } from '../../src/audit/postgres.js'

export type BackendName = 'pglite' | 'postgres'

export type TestDb = { db: Db; dispose: () => Promise<void> }

export const POSTGRES_URL = process.env.TEST_DATABASE_URL

export function backendNames(): BackendName[] {
  return POSTGRES_URL ? ['pglite', 'postgres'] : ['pglite']
}

/** A fresh database with (by default) every migration applied. */
export async function openTestDb(
  backend: BackendName,
  opts: { migrated?: boolean; poolSize?: number } = {},
): Promise<TestDb> {
  const migrated = opts.migrated ?? true
  if (backend === 'pglite') {
    const pglite = migrated
      ? await PGlite.create({ loadDataDir: await migratedTemplate() })
      : await PGlite.create()
    const db = wrapPglite(pglite)
    return { db, dispose: () => db.close() }
  }
  const { url, drop } = await createPostgresDatabase()
  const db = await openPostgres({ url, poolSize: opts.poolSize })
  if (migrated) await migrate(db)
  return {
    db,
    dispose: async () => {
      await db.close()
      await drop()
    },
  }
}

// @NOTE PGlite takes seconds to start and migrate; each test starts from one migrated data
// directory, dumped once per file (clone() would dump it again for every test)
let template: Promise<Blob> | undefined

function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const pglite = await PGlite.create()
    await migrate(wrapPglite(pglite))
    const dump = await pglite.dumpDataDir('none')
    await pglite.close()
    return dump
  })()
  return template
}

/** An empty Postgres database of its own, and how to drop it. */
export async function createPostgresDatabase(): Promise<{
  url: string
  drop: () => Promise<void>
}> {
  if (!POSTGRES_URL) throw new Error('TEST_DATABASE_URL is not set')
  const name = `wg_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: POSTGRES_URL })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}

/** Lets a test change history as an attacker with database superuser rights could. */
export async function asSuperuser(db: Db, sql: string, params: unknown[] = []): Promise<void> {
  // @NOTE replica mode skips every trigger, the append-only ones and foreign keys alike
  await db.transaction(async (tx) => {
    await tx.query('set local session_replication_role = replica')
    await tx.query(sql, params)
  })
}
