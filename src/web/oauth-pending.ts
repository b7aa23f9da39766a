/**
 * A Connect flow between its steps (table web_oauth_pending, migration 0006): the OAuth state
 * until the platform sends the person back, then the tokens it gave until they choose what to
 * connect. Every row is single use or short-lived (10 minutes), bound to the session that
 * started it, and its payload is sealed with the token key: the long-lived Facebook user token
 * and X's tokens never reach the page or a cookie.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { z } from 'zod'
import type { Keyring } from '../accounts/keyring.js'
import { open, seal } from '../accounts/token-crypto.js'
import type { Db } from '../audit/index.js'

export type PendingPurpose = 'facebook-dialog' | 'facebook-pages' | 'x-authorize' | 'x-account'

export const PENDING_TTL_MS = 10 * 60_000

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/** What a flow is bound to: the session's CSRF token is random, per session and server-side. */
export const sessionKeyOf = (session: { csrfToken: string }) => sha256(session.csrfToken)

type Row = {
  key_id: string
  iv: Uint8Array
  ciphertext: Uint8Array
  tag: Uint8Array
  expires_at: Date | string
}

export const newHandle = () => randomBytes(24).toString('base64url')

/** Stores a payload for the next step and returns its random handle (the state, or a form id). */
export async function createPending(
  db: Db,
  keyring: Keyring,
  p: {
    purpose: PendingPurpose
    sessionKey: string
    payload: unknown
    now: Date
    /** a handle made beforehand (X's authorize link needs the state before the verifier exists) */
    handle?: string
  },
): Promise<string> {
  const handle = p.handle ?? newHandle()
  const id = sha256(handle)
  const sealed = seal(keyring, JSON.stringify(p.payload), aad(p.purpose, id))
  // @NOTE expired rows are swept here rather than by a timer: connecting is rare
  await db.query('delete from web_oauth_pending where expires_at < $1::timestamptz', [
    p.now.toISOString(),
  ])
  await db.query(
    `insert into web_oauth_pending
       (id_hash, session_hash, purpose, key_id, iv, ciphertext, tag, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz, $9::timestamptz)`,
    [
      id,
      p.sessionKey,
      p.purpose,
      sealed.keyId,
      sealed.iv,
      sealed.ciphertext,
      sealed.tag,
      p.now.toISOString(),
      new Date(p.now.getTime() + PENDING_TTL_MS).toISOString(),
    ],
  )
  return handle
}

export type Pending<T> = { ok: true; payload: T } | { ok: false; problem: 'unknown' | 'expired' }

/**
 * The payload for this handle, purpose and session. `take` spends it (one statement, so two
 * requests with the same state cannot both pass); `peek` leaves it for a form shown again after
 * a mistake. Another session's handle reads as unknown and stays usable by its own session.
 */
export async function readPending<T>(
  db: Db,
  keyring: Keyring,
  schema: z.ZodType<T>,
  q: {
    handle: string
    purpose: PendingPurpose
    sessionKey: string
    now: Date
    mode: 'take' | 'peek'
  },
): Promise<Pending<T>> {
  if (!q.handle) return { ok: false, problem: 'unknown' }
  const id = sha256(q.handle)
  const where = 'where id_hash = $1 and purpose = $2 and session_hash = $3'
  const rows = await db.query<Row>(
    q.mode === 'take'
      ? `delete from web_oauth_pending ${where} returning key_id, iv, ciphertext, tag, expires_at`
      : `select key_id, iv, ciphertext, tag, expires_at from web_oauth_pending ${where}`,
    [id, q.purpose, q.sessionKey],
  )
  const row = rows[0]
  if (!row) return { ok: false, problem: 'unknown' }
  if (new Date(row.expires_at).getTime() <= q.now.getTime()) {
    return { ok: false, problem: 'expired' }
  }
  const text = open(
    keyring,
    {
      keyId: row.key_id,
      iv: Buffer.from(row.iv),
      ciphertext: Buffer.from(row.ciphertext),
      tag: Buffer.from(row.tag),
    },
    aad(q.purpose, id),
  )
  // @NOTE sealed by us, but checked anyway: a row written by an older version may differ
  const parsed = schema.safeParse(JSON.parse(text))
  return parsed.success ? { ok: true, payload: parsed.data } : { ok: false, problem: 'unknown' }
}

/** Forgets a flow (done, or cancelled). */
export async function dropPending(db: Db, handle: string): Promise<void> {
  await db.query('delete from web_oauth_pending where id_hash = $1', [sha256(handle)])
}

function aad(purpose: PendingPurpose, id: string): string {
  return `oauth-pending/${purpose}/${id}`
}
