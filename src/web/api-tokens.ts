/** Read-only API tokens for exports: `wgt_<id>_<secret>`, only the secret's sha256 is stored. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Db } from '../audit/index.js'
import { USER_COLUMNS, type UserRow, userFromRow, type WebUser } from './users.js'

const sha256 = (s: string) => createHash('sha256').update(s).digest()

/** Makes a token acting for `username` (with that user's scope, read-only). Shown once. */
export async function createApiToken(
  db: Db,
  username: string,
  label: string,
): Promise<{ id: string; token: string }> {
  const id = randomBytes(6).toString('hex')
  const secret = randomBytes(24).toString('base64url')
  await db.query(
    'insert into web_api_token (id, secret_hash, username, label) values ($1, $2, $3, $4)',
    [id, sha256(secret).toString('hex'), username, label],
  )
  return { id, token: `wgt_${id}_${secret}` }
}

export async function revokeApiToken(db: Db, id: string): Promise<boolean> {
  return (await db.query('delete from web_api_token where id = $1 returning id', [id])).length > 0
}

export async function listApiTokens(
  db: Db,
): Promise<
  { id: string; username: string; label: string; createdAt: string; lastUsedAt: string | null }[]
> {
  const rows = await db.query<{
    id: string
    username: string
    label: string
    created_at: Date | string
    last_used_at: Date | string | null
  }>('select id, username, label, created_at, last_used_at from web_api_token order by created_at')
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    label: r.label,
    createdAt: new Date(r.created_at).toISOString(),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
  }))
}

/** The user a bearer token acts for, or null. */
export async function userForApiToken(db: Db, token: string, now: Date): Promise<WebUser | null> {
  const m = /^wgt_([0-9a-f]{12})_([A-Za-z0-9_-]{20,})$/.exec(token)
  if (!m) return null
  const [, id, secret] = m as unknown as [string, string, string]
  const [row] = await db.query<UserRow & { secret_hash: string }>(
    `select t.secret_hash, ${USER_COLUMNS}
     from web_api_token t join web_user u on u.username = t.username where t.id = $1`,
    [id],
  )
  if (!row) return null
  const expected = Buffer.from(row.secret_hash, 'hex')
  const actual = sha256(secret)
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null
  await db.query('update web_api_token set last_used_at = $2::timestamptz where id = $1', [
    id,
    now.toISOString(),
  ])
  return userFromRow(row)
}
