/**
 * What the token check found for each account token, and warn-once: the review channel hears
 * about a condition (`expiring:2026-12-01`, `failing:190`) once, not at every check. Tokens from
 * environment variables have health rows too, so they are checked and warned about alike.
 */
import { z } from 'zod'
import type { Db } from '../audit/db.js'
import { ConfigError } from '../errors.js'
import type { TokenKind } from './token-store.js'

export type TokenStatus = 'ok' | 'expiring' | 'failing'

export type TokenCheck = {
  status: TokenStatus
  /** the platform's words (error code and message); never the token */
  problem?: string
  /** the expiry the platform reported; undefined keeps what is known, null means "never" */
  expiresAt?: Date | null
}

/** One token's row for `wardguard tokens list` and the web app's account health: no secret. */
export type TokenInfo = {
  accountId: string
  kind: TokenKind
  /** false for a token read from an environment variable that only has check results */
  stored: boolean
  keyId: string | null
  expiresAt: Date | null
  scopes: string[]
  updatedAt: Date | null
  checkedAt: Date | null
  status: TokenStatus | null
  problem: string | null
  warned: string | null
}

const CheckSchema = z.object({
  status: z.enum(['ok', 'expiring', 'failing']),
  problem: z.string().max(2000).optional(),
  expiresAt: z.date().nullable().optional(),
})

export async function recordTokenCheck(
  db: Db,
  accountId: string,
  kind: TokenKind,
  check: TokenCheck,
): Promise<void> {
  const c = CheckSchema.parse(check)
  const keepExpiry = c.expiresAt === undefined
  await db.query(
    `insert into account_token_health (account_id, kind, checked_at, status, problem, expires_at)
     values ($1, $2, now(), $3, $4, $5)
     on conflict (account_id, kind) do update set checked_at = now(), status = excluded.status,
       problem = excluded.problem,
       expires_at = case when $6 then account_token_health.expires_at else excluded.expires_at end`,
    [accountId, kind, c.status, c.problem ?? null, c.expiresAt ?? null, keepExpiry],
  )
}

/**
 * True the first time a condition is seen for this token, false while it persists; a different
 * condition is news again, and a new token (saveToken) forgets them all. @NOTE one statement,
 * so two workers checking at once cannot both warn.
 */
export async function markWarned(
  db: Db,
  accountId: string,
  kind: TokenKind,
  condition: string,
): Promise<boolean> {
  if (condition.trim() === '') throw new ConfigError('markWarned: the condition is empty')
  const rows = await db.query(
    `insert into account_token_health (account_id, kind, warned) values ($1, $2, $3)
     on conflict (account_id, kind) do update set warned = excluded.warned
       where account_token_health.warned is distinct from excluded.warned
     returning account_id`,
    [accountId, kind, condition],
  )
  return rows.length > 0
}

type InfoRow = {
  account_id: string
  kind: TokenKind
  stored: boolean
  key_id: string | null
  expires_at: Date | string | null
  scopes: string[] | null
  updated_at: Date | string | null
  checked_at: Date | string | null
  status: TokenStatus | null
  problem: string | null
  warned: string | null
}

const dateOrNull = (v: Date | string | null): Date | null => (v === null ? null : new Date(v))

/** Every token Wardguard knows of (stored, or only checked), by account id then kind. */
export async function listTokenInfo(db: Db): Promise<TokenInfo[]> {
  const rows = await db.query<InfoRow>(
    `select coalesce(t.account_id, h.account_id) as account_id, coalesce(t.kind, h.kind) as kind,
       t.account_id is not null as stored, t.key_id,
       coalesce(h.expires_at, t.expires_at) as expires_at, t.scopes, t.updated_at,
       h.checked_at, h.status, h.problem, h.warned
     from account_token t
     full outer join account_token_health h on h.account_id = t.account_id and h.kind = t.kind
     order by 1, 2`,
  )
  return rows.map((r) => ({
    accountId: r.account_id,
    kind: r.kind,
    stored: r.stored,
    keyId: r.key_id,
    expiresAt: dateOrNull(r.expires_at),
    scopes: r.scopes ?? [],
    updatedAt: dateOrNull(r.updated_at),
    checkedAt: dateOrNull(r.checked_at),
    status: r.status,
    problem: r.problem,
    warned: r.warned,
  }))
}
