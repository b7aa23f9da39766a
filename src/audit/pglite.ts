import { PGlite, type PGliteInterface, type Results, type Transaction } from '@electric-sql/pglite'
import { type Db, oneConnectionDb, type RunQuery } from './db.js'

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
  return oneConnectionDb(
    'pglite',
    runOn(pg),
    (body) => pg.transaction((tx) => body(runOn(tx))),
    () => pg.close(),
  )
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
