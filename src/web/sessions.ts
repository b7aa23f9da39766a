/** Server-side sessions: the signed cookie carries a random id; the row holds who and the CSRF token. */
import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../audit/index.js'
import { USER_COLUMNS, type UserRow, userFromRow, type WebUser } from './users.js'

export const SESSION_COOKIE = 'wg_session'
export const SESSION_TTL_MS = 8 * 60 * 60_000

export type Session = { user: WebUser; csrfToken: string; expiresAt: string }

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

export async function createSession(
  db: Db,
  username: string,
  now: Date,
): Promise<{ id: string; csrfToken: string }> {
  const id = randomBytes(32).toString('base64url')
  const csrfToken = randomBytes(32).toString('base64url')
  await db.query(
    `insert into web_session (id_hash, username, csrf_token, created_at, expires_at)
     values ($1, $2, $3, $4::timestamptz, $5::timestamptz)`,
    [
      sha256(id),
      username,
      csrfToken,
      now.toISOString(),
      new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    ],
  )
  // @NOTE expired rows are swept here rather than by a timer: sign-ins are rare
  await db.query('delete from web_session where expires_at < $1::timestamptz', [now.toISOString()])
  return { id, csrfToken }
}

export async function findSession(db: Db, id: string, now: Date): Promise<Session | null> {
  const [row] = await db.query<UserRow & { csrf_token: string; expires_at: Date | string }>(
    `select ${USER_COLUMNS}, s.csrf_token, s.expires_at
     from web_session s join web_user u on u.username = s.username
     where s.id_hash = $1 and s.expires_at > $2::timestamptz`,
    [sha256(id), now.toISOString()],
  )
  if (!row) return null
  return {
    user: userFromRow(row),
    csrfToken: row.csrf_token,
    expiresAt: new Date(row.expires_at).toISOString(),
  }
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.query('delete from web_session where id_hash = $1', [sha256(id)])
}
