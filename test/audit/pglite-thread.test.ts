import path from 'node:path'
import { MessageChannel, Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isConnectionLoss, isUnstorableInput } from '../../src/audit/db-errors.js'
import { dbOverPorts, serveDb } from '../../src/audit/db-port.js'
import { type Db, migrate, openDatabase, recordEvent, verifyChain } from '../../src/audit/index.js'
import { openPglite } from '../../src/audit/pglite.js'
import { tempDir } from '../helpers/tmp.js'
import { decisionInput, receivedInput, subject } from './fixtures.js'

/**
 * Issue 16: the service's embedded store runs on a thread of its own. The same audit code must
 * work through it unchanged, errors must keep their meaning, and a long statement must leave the
 * calling thread free to answer webhooks.
 */
describe('PGlite on its own thread', () => {
  const tmp = tempDir('wardguard-pglite-thread-')
  let db: Db
  beforeAll(async () => {
    db = await openDatabase({ dataDir: path.join(tmp.dir, 'pglite'), thread: true })
    await migrate(db)
  }, 60_000)
  afterAll(async () => {
    await db?.close()
    tmp.cleanup()
  })

  it('records events into a hash chain that verifies', async () => {
    const s = subject()
    const received = await recordEvent(db, receivedInput(s))
    await recordEvent(db, decisionInput(s, received.event.id))
    expect((await verifyChain(db)).ok).toBe(true)
    const [row] = await db.query<{ n: number; at: unknown }>(
      'select count(*)::int as n, max(created_at) as at from moderation_event',
    )
    expect(row?.n).toBe(2)
    // timestamps cross the thread boundary as dates, as they do in-thread
    expect(row?.at).toBeInstanceOf(Date)
  })

  it('rolls a failed transaction back, savepoints included, and commits a good one', async () => {
    await db.query('create table if not exists t_thread (k text primary key)')
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t_thread values ($1)', ['lost'])
        throw new Error('the unit of work failed')
      }),
    ).rejects.toThrow('the unit of work failed')
    await db.transaction(async (tx) => {
      await tx.query('insert into t_thread values ($1)', ['kept'])
      await tx
        .transaction(async (inner) => {
          await inner.query('insert into t_thread values ($1)', ['inner-lost'])
          throw new Error('inner')
        })
        .catch(() => undefined)
    })
    const rows = await db.query<{ k: string }>('select k from t_thread order by k')
    expect(rows.map((r) => r.k)).toEqual(['kept'])
  })

  it('keeps SQLSTATEs, so bad input and a lost database are told apart as before', async () => {
    const dup = await db.query('insert into t_thread values ($1)', ['kept']).catch((e) => e)
    expect(dup.code).toBe('23505')
    expect(isConnectionLoss(dup)).toBe(false)
    const nul = await db.query('insert into t_thread values ($1)', ['a\u0000b']).catch((e) => e)
    expect(isUnstorableInput(nul)).toBe(true)
  })

  it('refuses the top-level handle inside its own transaction instead of waiting forever', async () => {
    await expect(db.transaction(() => db.query('select 1'))).rejects.toThrow(
      /use the transaction handle/,
    )
  })

  it('leaves the calling thread free while a long statement runs', async () => {
    let ticks = 0
    const timer = setInterval(() => ticks++, 5)
    try {
      await db.query('select count(*) from generate_series(1, 5000000)')
    } finally {
      clearInterval(timer)
    }
    // in-thread PGlite runs the statement synchronously: the timer could not tick at all
    expect(ticks).toBeGreaterThan(5)
  })

  it('serves a database to another thread by a port, and frees the lock of one that dies mid-transaction', async () => {
    // the service's default shape: the workers thread owns PGlite and serves the HTTP thread
    const owner = await openPglite()
    try {
      const { port1, port2 } = new MessageChannel()
      serveDb(port1, owner)
      const link = dbOverPorts()
      link.attach(port2)
      const viaPort = link.db
      await viaPort.query('create table t_port (k text primary key)')
      await viaPort.transaction((tx) => tx.query('insert into t_port values ($1)', ['by-port']))
      const [seen] = await owner.query<{ n: number }>('select count(*)::int as n from t_port')
      expect(seen?.n).toBe(1)
      // a commit that fails reaches the client that asked for it
      await owner.query('create table t_deferred (k text unique deferrable initially deferred)')
      await expect(
        viaPort.transaction(async (tx) => {
          await tx.query("insert into t_deferred values ('x'), ('x')")
        }),
      ).rejects.toMatchObject({ code: '23505' })
      await viaPort.close()
      // a client's close ends its connection, not the owner's database
      await expect(owner.query('select 1')).resolves.toHaveLength(1)

      // a thread that opens a transaction and dies before ending it
      const other = new MessageChannel()
      serveDb(other.port1, owner)
      const dying = new Worker(
        `const { workerData } = require('node:worker_threads')
         workerData.port.on('message', (m) => { if (m.id === 1) process.exit(0) })
         workerData.port.postMessage({ id: 1, op: 'begin' })`,
        { eval: true, workerData: { port: other.port2 }, transferList: [other.port2] },
      )
      await new Promise((resolve) => dying.once('exit', resolve))
      // PGlite has one transaction lock: held for ever, this would never answer
      await owner.transaction((tx) => tx.query("insert into t_port values ('after-death')"))
      const [after] = await owner.query<{ n: number }>('select count(*)::int as n from t_port')
      expect(after?.n).toBe(2)
    } finally {
      await owner.close()
    }
  })

  it('answers "database away" once the thread has stopped, never hangs', async () => {
    const other = await openDatabase({ dataDir: 'memory://', thread: true })
    await other.close()
    const err = await other.query('select 1').catch((e) => e)
    expect(isConnectionLoss(err)).toBe(true)
  })
})
