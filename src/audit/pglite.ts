import { PGlite, type PGliteInterface, type Results, type Transaction } from '@electric-sql/pglite'
import {
  assertNotInOwnTransaction,
  createTxDb,
  type Db,
  newTxScope,
  type RunQuery,
  runInTransaction,
} from './db.js'

type Queryable = Pick<Transaction, 'query' | 'exec'>

/** Embedded Postgres in `dataDir`; undefined or 'memory://' keeps it in memory (tests, demos). */
export async function openPglite(dataDir?: string): Promise<Db> {
  const pg = await PGlite.create(
    dataDir === undefined || dataDir === 'memory://' ? {} : { dataDir },
  )
  return wrapPglite(pg)
}

/** The Db adapter over an open PGlite (tests wrap clones of a migrated template with it). */
export function wrapPglite(pg: PGliteInterface): Db {
  const root = {}
  const shared = new Map<string, unknown>()
  const run = runOn(pg)
  return {
    kind: 'pglite',
    query: async <T>(sql: string, params?: unknown[]) => {
      assertNotInOwnTransaction(root)
      return (await run(sql, params)) as T[]
    },
    transaction: async <T>(fn: (tx: Db) => Promise<T>) => {
      assertNotInOwnTransaction(root)
      const { scope, end } = newTxScope(shared)
      try {
        return await pg.transaction((tx) =>
          runInTransaction(root, () => fn(createTxDb('pglite', runOn(tx), scope))),
        )
      } finally {
        end()
      }
    },
    close: () => pg.close(),
  }
}

// @NOTE without params the simple protocol is used, as `pg` does, so a migration script with many
// statements runs through the same query() on both backends.
function runOn(target: Queryable): RunQuery {
  return async (sql, params) => {
    if (params === undefined || params.length === 0) {
      const results = await target.exec(sql)
      return lastRows(results)
    }
    return (await target.query<Record<string, unknown>>(sql, params)).rows
  }
}

function lastRows(results: Results[]): Record<string, unknown>[] {
  return (results.at(-1)?.rows ?? []) as Record<string, unknown>[]
}
