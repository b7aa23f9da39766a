import { createHash } from 'node:crypto'
import pg from 'pg'
import { auditLogger } from '../logger.js'
import {
  assertNotInOwnTransaction,
  createTxDb,
  type Db,
  newTxScope,
  type RunQuery,
  runInTransaction,
} from './db.js'
import { auditStoreAway, isConnectionLoss } from './db-errors.js'

export type PostgresOptions = { url: string; poolSize?: number }

/** Attempts at one transaction whose connection is lost before it commits. */
const TX_ATTEMPTS = 4
const RETRY_DELAYS_MS = [100, 400, 1_500]

/**
 * Postgres through a `pg` Pool; each transaction holds one pooled connection.
 * @NOTE a lost connection (failover, restart, pg_terminate_backend) must never take the process
 * down: every client carries an 'error' listener, checked out or idle; a transaction whose
 * connection is lost before COMMIT was sent is rolled back by the server, so it is run again on
 * a fresh connection; what still fails surfaces as a retryable `dependency_unavailable`, which
 * the workers wait out and the HTTP side answers with 503.
 */
export async function openPostgres(opts: PostgresOptions): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    application_name: 'wardguard',
    // @NOTE without it a request for a connection waits forever while the server is away
    connectionTimeoutMillis: 5_000,
  })
  // @NOTE an idle client that loses its connection emits 'error' on the pool; unhandled, it kills
  // the process. The message only: connection errors can echo the URL.
  pool.on('error', (err) => auditLogger.warn({ code: codeOf(err) }, 'idle postgres client failed'))
  // @NOTE and a listener for a client's whole life: the server's FATAL can arrive in the same
  // read as the answer that hands the client to its next user, before that user listens
  pool.on('connect', (client) => {
    client.on('error', (err) => auditLogger.debug({ code: codeOf(err) }, 'postgres client failed'))
  })
  const root = {}
  const shared = new Map<string, unknown>()
  // fail fast on a wrong URL instead of at the first write
  await pool.query('select 1').catch(async (err: unknown) => {
    await pool.end()
    throw err
  })

  async function runTransaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await pool.connect()
    // @NOTE a checked-out client has no pool listener: its 'error' event would be unhandled
    let lost: unknown
    const onError = (err: unknown) => {
      lost ??= err
      auditLogger.warn({ code: codeOf(err) }, 'postgres connection lost in a transaction')
    }
    client.on('error', onError)
    const run: RunQuery = async (sql, params) => rowsOf(await client.query(statement(sql, params)))
    const { scope, end } = newTxScope(shared)
    let broken: unknown
    try {
      await client.query('begin')
      const result = await runInTransaction(root, () => fn(createTxDb('postgres', run, scope)))
      await client.query('commit').catch((err: unknown) => {
        // @NOTE lost during COMMIT: it may or may not have committed, so it is not run again here
        throw new CommitUnknown(err)
      })
      return result
    } catch (err) {
      if (!(err instanceof CommitUnknown)) {
        await client.query('rollback').catch((rollbackErr: unknown) => {
          broken = rollbackErr
        })
      } else {
        broken = err.cause
      }
      throw err
    } finally {
      // @NOTE a connection that could not roll back is destroyed, never reused mid-transaction
      const dead = lost ?? broken
      client.release(dead instanceof Error ? dead : dead ? new Error('connection lost') : undefined)
      client.off('error', onError)
      end()
    }
  }

  return {
    kind: 'postgres',
    query: async <T>(sql: string, params?: unknown[]) => {
      assertNotInOwnTransaction(root)
      try {
        return rowsOf(await pool.query(statement(sql, params))) as T[]
      } catch (err) {
        if (!isConnectionLoss(err)) throw err
        // @NOTE once: the pool drops the dead client, and the next one is usually fine
        await delay(RETRY_DELAYS_MS[0] as number)
        try {
          return rowsOf(await pool.query(statement(sql, params))) as T[]
        } catch (again) {
          throw isConnectionLoss(again) ? auditStoreAway(again) : again
        }
      }
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      assertNotInOwnTransaction(root)
      for (let attempt = 1; ; attempt++) {
        try {
          return await runTransaction(fn)
        } catch (err) {
          const cause = err instanceof CommitUnknown ? err.cause : err
          if (!isConnectionLoss(cause)) throw cause
          if (err instanceof CommitUnknown || attempt >= TX_ATTEMPTS) throw auditStoreAway(cause)
          await delay(RETRY_DELAYS_MS[attempt - 1] ?? 1_500)
        }
      }
    },
    close: () => pool.end(),
  }
}

/** COMMIT was sent but its answer was lost. */
class CommitUnknown extends Error {
  constructor(cause: unknown) {
    super('connection lost during commit', { cause })
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const names = new Map<string, string>()
// @NOTE a bound on prepared statements per connection, in case a caller builds SQL dynamically
const MAX_PREPARED = 500

/**
 * @NOTE statements with parameters are prepared by name, once per connection: the audit write
 * path repeats a handful of statements, and parsing them every time cost as much as running them.
 * Scripts (no parameters) go through the simple protocol, which allows several statements.
 */
function statement(sql: string, params?: unknown[]): pg.QueryConfig {
  if (params === undefined || params.length === 0) return { text: sql }
  let name = names.get(sql)
  if (name === undefined) {
    if (names.size >= MAX_PREPARED) return { text: sql, values: params }
    name = `wg_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`
    names.set(sql, name)
  }
  return { name, text: sql, values: params }
}

function rowsOf(result: pg.QueryResult | pg.QueryResult[]): Record<string, unknown>[] {
  const last = Array.isArray(result) ? result.at(-1) : result
  return (last?.rows ?? []) as Record<string, unknown>[]
}

function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined
}
