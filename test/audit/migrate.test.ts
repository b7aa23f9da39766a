import { afterEach, describe, expect, it } from 'vitest'
import { loadMigrations, migrate } from '../../src/audit/migrate.js'
import { openPostgres } from '../../src/audit/postgres.js'
import {
  type BackendName,
  backendNames,
  createPostgresDatabase,
  openTestDb,
  POSTGRES_URL,
  type TestDb,
} from './backends.js'

describe.each(backendNames())('migrate on %s', (backend: BackendName) => {
  let t: TestDb | undefined
  afterEach(async () => {
    await t?.dispose()
    t = undefined
  })

  it('applies every migration in order once when run twice', async () => {
    t = await openTestDb(backend, { migrated: false })
    const files = (await loadMigrations()).map((m) => m.name)
    expect(files[0]).toBe('0001-init.sql')
    expect(await migrate(t.db)).toEqual({ applied: files })
    expect(await migrate(t.db)).toEqual({ applied: [] })
    const ledger = await t.db.query<{ name: string }>(
      'select name from schema_migration order by name',
    )
    expect(ledger.map((r) => r.name)).toEqual(files)
    // @NOTE the web app's own tables (web_*) share the database but are not the audit store's
    const tables = await t.db.query<{ name: string }>(
      `select table_name as name from information_schema.tables
       where table_schema = 'public' and table_name not like 'web\\_%' order by table_name`,
    )
    expect(tables.map((r) => r.name)).toEqual([
      'account_engine',
      'account_token',
      'account_token_health',
      'audit_chain_head',
      'comment_snapshot',
      'connected_account',
      'moderation_event',
      'schema_migration',
      'shadow_decision',
      'shadow_run',
      'subject_status',
    ])
  })

  it('rolls a failing migration back whole when one of its statements fails', async () => {
    t = await openTestDb(backend)
    const broken = [
      ...(await loadMigrations()),
      {
        name: '0002-broken.sql',
        sql: 'create table half_done (id int); select nope;',
        checksum: 'x',
      },
    ]
    await expect(migrate(t.db, broken)).rejects.toThrow()
    const half = await t.db.query(`select to_regclass('half_done')::text as t`)
    expect(half[0]?.t).toBeNull()
    const ledger = await t.db.query('select name from schema_migration')
    expect(ledger).toHaveLength(broken.length - 1)
  })

  it('refuses to go on when an applied migration file was edited', async () => {
    t = await openTestDb(backend)
    const edited = (await loadMigrations()).map((m) => ({ ...m, checksum: 'edited' }))
    await expect(migrate(t.db, edited)).rejects.toThrow(/0001-init.sql was changed/)
  })
})

describe.runIf(POSTGRES_URL)('migrate on postgres with two processes', () => {
  it('applies each migration exactly once when two processes start at the same moment', async () => {
    const { url, drop } = await createPostgresDatabase()
    const a = await openPostgres({ url })
    const b = await openPostgres({ url })
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)])
      const files = (await loadMigrations()).map((m) => m.name)
      expect([...ra.applied, ...rb.applied].sort()).toEqual(files)
      const head = await a.query('select last_event_id::int as id from audit_chain_head')
      expect(head).toEqual([{ id: 0 }])
    } finally {
      await a.close()
      await b.close()
      await drop()
    }
  })
})
