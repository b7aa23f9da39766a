/**
 * The tiny SQL adapter the audit store runs on: the same four methods over embedded PGlite and
 * over a `pg` Pool, so one set of SQL and one code path serve both.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

export type DbKind = 'pglite' | 'postgres'

export type Db = {
  kind: DbKind
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /** On a transaction handle this opens a savepoint, so nesting is safe on both backends. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** Runs one statement (or, without params, a script) on one connection. */
export type RunQuery = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>

/**
 * What a transaction handle carries besides its connection. @NOTE a rollback to a savepoint also
 * releases the row locks taken after it, so `cache` is cleared with it.
 */
export type TxScope = {
  /** per-transaction memory (the locked chain head, status rows already read) */
  cache: Map<string, unknown>
  /** memory shared by every transaction of one opened database, in this process */
  shared: Map<string, unknown>
  /** runs once the transaction has committed or rolled back */
  onEnd(fn: () => void): void
}

const scopes = new WeakMap<Db, TxScope>()

/** The scope of a transaction handle; undefined for a top-level Db. */
export function scopeOf(db: Db): TxScope | undefined {
  return scopes.get(db)
}

/** Uses `db` when it already is a transaction, otherwise opens one. */
export function withTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return scopes.has(db) ? fn(db) : db.transaction(fn)
}

/** A scope for a new top-level transaction; call `end()` after commit or rollback. */
export function newTxScope(shared: Map<string, unknown>): { scope: TxScope; end: () => void } {
  const callbacks: (() => void)[] = []
  return {
    scope: { cache: new Map(), shared, onEnd: (fn) => callbacks.push(fn) },
    end: () => {
      for (const fn of callbacks.splice(0)) fn()
    },
  }
}

export function createTxDb(kind: DbKind, run: RunQuery, scope: TxScope, depth = 0): Db {
  const tx: Db = {
    kind,
    query: <T>(sql: string, params?: unknown[]) => run(sql, params) as Promise<T[]>,
    async transaction<T>(fn: (inner: Db) => Promise<T>): Promise<T> {
      const name = `wg_sp_${depth + 1}`
      await run(`savepoint ${name}`)
      try {
        const result = await fn(createTxDb(kind, run, scope, depth + 1))
        await run(`release savepoint ${name}`)
        return result
      } catch (err) {
        await run(`rollback to savepoint ${name}`)
        scope.cache.clear()
        throw err
      }
    },
    close: () => Promise.reject(new Error('close() was called on a transaction handle')),
  }
  scopes.set(tx, scope)
  return tx
}

type Frame = { root: object; open: boolean }

const openTransactions = new AsyncLocalStorage<readonly Frame[]>()

/**
 * Runs a transaction body, remembering which top-level database it belongs to. The frame closes
 * with the body, so work it left running in the background is not mistaken for it later.
 */
export async function runInTransaction<T>(root: object, fn: () => Promise<T>): Promise<T> {
  const frame = { root, open: true }
  try {
    return await openTransactions.run([...(openTransactions.getStore() ?? []), frame], fn)
  } finally {
    frame.open = false
  }
}

/**
 * @NOTE PGlite is one connection: a query on the top-level handle from inside one of its own
 * transactions waits for that transaction forever. On Postgres it would escape the transaction
 * (and can wait on the transaction's own locks). Both are bugs, so both fail loudly and alike.
 */
export function assertNotInOwnTransaction(root: object): void {
  if (openTransactions.getStore()?.some((f) => f.open && f.root === root)) {
    throw new Error(
      'audit db: use the transaction handle (tx), not the top-level db, inside db.transaction()',
    )
  }
}

/**
 * A top-level Db over one connection (PGlite in this thread, or PGlite on another thread by
 * messages): its statements, how a transaction begins and ends on it, and close. The guard
 * against the top-level handle inside its own transaction and the shared memory of one opened
 * database are the same for both. (Postgres's pool retries lost connections: postgres.ts.)
 */
export function oneConnectionDb(
  kind: DbKind,
  run: RunQuery,
  inTransaction: <T>(body: (txRun: RunQuery) => Promise<T>) => Promise<T>,
  close: () => Promise<void>,
): Db {
  const root = {}
  const shared = new Map<string, unknown>()
  return {
    kind,
    query: async <T>(sql: string, params?: unknown[]) => {
      assertNotInOwnTransaction(root)
      return (await run(sql, params)) as T[]
    },
    transaction: async <T>(fn: (tx: Db) => Promise<T>) => {
      assertNotInOwnTransaction(root)
      const { scope, end } = newTxScope(shared)
      try {
        return await inTransaction((txRun) =>
          runInTransaction(root, () => fn(createTxDb(kind, txRun, scope))),
        )
      } finally {
        end()
      }
    },
    close,
  }
}
