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

export type PostgresOptions = { url: string; poolSize?: number }

/** Postgres through a `pg` Pool; each transaction holds one pooled connection. */
export async function openPostgres(opts: PostgresOptions): Promise<Db> {
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 })
  // @NOTE an idle client that loses its connection emits 'error' on the pool; unhandled, it kills
  // the process. The message only: connection errors can echo the URL.
  pool.on('error', (err) => auditLogger.warn({ code: codeOf(err) }, 'idle postgres client failed'))
  const root = {}
  const shared = new Map<string, unknown>()
  // fail fast on a wrong URL instead of at the first write
  await pool.query('select 1').catch(async (err: unknown) => {
    await pool.end()
    throw err
  })
  return {
    kind: 'postgres',
    query: async <T>(sql: string, params?: unknown[]) => {
      assertNotInOwnTransaction(root)
      return rowsOf(await pool.query(statement(sql, params))) as T[]
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      assertNotInOwnTransaction(root)
      const client = await pool.connect()
      const run: RunQuery = async (sql, params) =>
        rowsOf(await client.query(statement(sql, params)))
      const { scope, end } = newTxScope(shared)
      let broken: unknown
      try {
        await client.query('begin')
        const result = await runInTransaction(root, () => fn(createTxDb('postgres', run, scope)))
        await client.query('commit')
        return result
      } catch (err) {
        await client.query('rollback').catch((rollbackErr: unknown) => {
          broken = rollbackErr
        })
        throw err
      } finally {
        // @NOTE a connection that could not roll back is destroyed, never reused mid-transaction
        client.release(broken instanceof Error ? broken : undefined)
        end()
      }
    },
    close: () => pool.end(),
  }
}

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
