/** Sign-in lock-out: after MAX_FAILURES failures in a row a username is refused for LOCK_MS. */
import type { Db } from '../audit/index.js'

export const MAX_FAILURES = 5
export const LOCK_MS = 15 * 60_000

/** When the username is locked, until when; else null. */
export async function lockedUntil(db: Db, username: string, now: Date): Promise<Date | null> {
  const [row] = await db.query<{ locked_until: Date | string | null }>(
    'select locked_until from web_signin_failure where username = $1',
    [username],
  )
  if (!row?.locked_until) return null
  const until = new Date(row.locked_until)
  return until > now ? until : null
}

/**
 * Counts one failure; the fifth in a row locks the name. @NOTE names that do not exist are
 * counted too, so the lock-out does not tell an attacker which usernames are real.
 */
export async function recordFailure(db: Db, username: string, now: Date): Promise<void> {
  await db.query(
    `insert into web_signin_failure (username, failures, last_failed_at, locked_until)
     values ($1, 1, $2::timestamptz, null)
     on conflict (username) do update set
       failures = case when web_signin_failure.locked_until is not null
         and web_signin_failure.locked_until <= $2::timestamptz then 1
         else web_signin_failure.failures + 1 end,
       last_failed_at = $2::timestamptz,
       locked_until = case
         when web_signin_failure.locked_until is not null
           and web_signin_failure.locked_until <= $2::timestamptz then null
         when web_signin_failure.failures + 1 >= $3 then $4::timestamptz
         else web_signin_failure.locked_until end`,
    [username, now.toISOString(), MAX_FAILURES, new Date(now.getTime() + LOCK_MS).toISOString()],
  )
}

export async function clearFailures(db: Db, username: string): Promise<void> {
  await db.query('delete from web_signin_failure where username = $1', [username])
}
