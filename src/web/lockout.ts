/**
 * Sign-in throttling. Attempts are counted per username AND source address, so a stranger
 * guessing from their own address cannot lock a colleague out; after MAX_FAILURES in a row the
 * pair waits, 1 minute at first and twice as long after each further failure, up to 15 minutes.
 * @NOTE an attempt is counted BEFORE its password is checked, inside one locked row: parallel
 * guesses each take a turn at the counter, so no more than MAX_FAILURES are ever checked.
 */
import type { Db } from '../audit/index.js'

export const MAX_FAILURES = 5
export const FIRST_LOCK_MS = 60_000
export const MAX_LOCK_MS = 15 * 60_000
/** a run of failures is forgotten after this long without one */
export const FORGET_AFTER_MS = 60 * 60_000

export type Attempt = { allowed: true } | { allowed: false; until: Date }

export function throttleKey(username: string, address: string): string {
  return JSON.stringify([username, address])
}

function lockFor(failures: number): number {
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - MAX_FAILURES))
}

/** Takes a turn: refused while the pair is locked, else counted as a failure until cleared. */
export async function beginAttempt(db: Db, key: string, now: Date): Promise<Attempt> {
  return db.transaction(async (tx) => {
    await tx.query(
      'insert into web_signin_throttle (key) values ($1) on conflict (key) do nothing',
      [key],
    )
    const [row] = await tx.query<{
      failures: number
      last_failed_at: Date | string | null
      locked_until: Date | string | null
    }>(
      'select failures, last_failed_at, locked_until from web_signin_throttle where key = $1 for update',
      [key],
    )
    const lockedUntil = row?.locked_until ? new Date(row.locked_until) : null
    if (lockedUntil && lockedUntil > now) return { allowed: false, until: lockedUntil }
    const last = row?.last_failed_at ? new Date(row.last_failed_at).getTime() : null
    const stale = last === null || now.getTime() - last > FORGET_AFTER_MS
    const failures = (stale ? 0 : (row?.failures ?? 0)) + 1
    const until =
      failures >= MAX_FAILURES ? new Date(now.getTime() + lockFor(failures)).toISOString() : null
    await tx.query(
      `update web_signin_throttle set failures = $2, last_failed_at = $3::timestamptz,
         locked_until = $4::timestamptz where key = $1`,
      [key, failures, now.toISOString(), until],
    )
    return { allowed: true }
  })
}

/** A successful sign-in wipes the pair's count. */
export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.query('delete from web_signin_throttle where key = $1', [key])
}
