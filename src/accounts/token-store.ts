/**
 * Account tokens at rest: one sealed row per (account, kind) in `account_token`, over the audit
 * store's Db (PGlite or Postgres, the same SQL). Tokens leave this module only as return values:
 * errors and logs name the account, the kind and the key id, never the token.
 */
import { z } from 'zod'
import { type Db, withTransaction } from '../audit/db.js'
import { ConfigError } from '../errors.js'
import { findKey, type Keyring } from './keyring.js'
import { open, type Sealed, seal, unknownKeyProblem } from './token-crypto.js'

export {
  listTokenInfo,
  markWarned,
  recordTokenCheck,
  type TokenCheck,
  type TokenInfo,
  type TokenStatus,
} from './token-health.js'

export const TOKEN_KINDS = ['page', 'user', 'access', 'refresh'] as const
/** Facebook Page token, Facebook long-lived user token, X access token, X refresh token. */
export type TokenKind = (typeof TOKEN_KINDS)[number]

export type StoredToken = {
  accountId: string
  kind: TokenKind
  secret: string
  expiresAt: Date | null
  scopes: string[]
  updatedAt: Date
}

const AccountIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'an account id: lower-case letters, digits and hyphens')

const SaveTokenSchema = z.object({
  accountId: AccountIdSchema,
  kind: z.enum(TOKEN_KINDS),
  secret: z.string().min(1, 'the token is empty'),
  expiresAt: z.date().nullable().optional(),
  scopes: z.array(z.string().min(1)).optional(),
})
export type SaveTokenInput = z.input<typeof SaveTokenSchema>

type TokenRow = {
  account_id: string
  kind: TokenKind
  key_id: string
  iv: Uint8Array
  ciphertext: Uint8Array
  tag: Uint8Array
  expires_at: Date | string | null
  scopes: string[] | null
  updated_at: Date | string
}

const TOKEN_COLUMNS =
  'account_id, kind, key_id, iv, ciphertext, tag, expires_at, scopes, updated_at'

/** The additional data a token is sealed with: its place. */
export function tokenAad(accountId: string, kind: TokenKind): string {
  return `${accountId}/${kind}`
}

/** Stores (or replaces) an account's token of one kind, sealed under the current key. */
export async function saveToken(db: Db, keyring: Keyring, input: SaveTokenInput): Promise<void> {
  const parsed = SaveTokenSchema.safeParse(input)
  if (!parsed.success) {
    // @NOTE the issue paths only: zod's messages here never include the token itself
    const problems = parsed.error.issues.map((i) => `token.${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(problems)
  }
  const t = parsed.data
  const sealed = seal(keyring, t.secret, tokenAad(t.accountId, t.kind))
  await withTransaction(db, async (tx) => {
    await tx.query(
      `insert into account_token (account_id, kind, key_id, iv, ciphertext, tag, expires_at, scopes, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, now())
       on conflict (account_id, kind) do update set key_id = excluded.key_id, iv = excluded.iv,
         ciphertext = excluded.ciphertext, tag = excluded.tag, expires_at = excluded.expires_at,
         scopes = excluded.scopes, updated_at = now()`,
      [
        t.accountId,
        t.kind,
        sealed.keyId,
        sealed.iv,
        sealed.ciphertext,
        sealed.tag,
        t.expiresAt ?? null,
        t.scopes ?? [],
      ],
    )
    // a new token starts with a clean bill: what was found and warned about was the old one's
    await tx.query('delete from account_token_health where account_id = $1 and kind = $2', [
      t.accountId,
      t.kind,
    ])
  })
}

export async function readToken(
  db: Db,
  keyring: Keyring,
  accountId: string,
  kind: TokenKind,
): Promise<StoredToken | null> {
  const rows = await db.query<TokenRow>(
    `select ${TOKEN_COLUMNS} from account_token where account_id = $1 and kind = $2`,
    [accountId, kind],
  )
  return rows[0] ? openRow(keyring, rows[0]) : null
}

/** Every stored token, by account id then kind (the pipeline's account directory). */
export async function readAllTokens(
  db: Db,
  keyring: Keyring,
): Promise<Map<string, Map<TokenKind, StoredToken>>> {
  const rows = await db.query<TokenRow>(
    `select ${TOKEN_COLUMNS} from account_token order by account_id, kind`,
  )
  const out = new Map<string, Map<TokenKind, StoredToken>>()
  for (const row of rows) {
    const token = openRow(keyring, row)
    const byKind = out.get(token.accountId) ?? new Map<TokenKind, StoredToken>()
    byKind.set(token.kind, token)
    out.set(token.accountId, byKind)
  }
  return out
}

/** Deletes every token of an account (and what the checks recorded); returns how many tokens. */
export async function deleteTokens(db: Db, accountId: string): Promise<number> {
  return withTransaction(db, async (tx) => {
    const rows = await tx.query('delete from account_token where account_id = $1 returning kind', [
      accountId,
    ])
    await tx.query('delete from account_token_health where account_id = $1', [accountId])
    return rows.length
  })
}

/**
 * Re-seals under the current key every row sealed with another one, in one transaction: either
 * all rows move or none does. Afterwards the previous keys are no longer needed.
 */
export async function rotateTokens(
  db: Db,
  keyring: Keyring,
): Promise<{ reencrypted: number; total: number }> {
  return withTransaction(db, async (tx) => {
    const rows = await tx.query<TokenRow>(
      `select ${TOKEN_COLUMNS} from account_token order by account_id, kind for update`,
    )
    const stale = rows.filter((r) => r.key_id !== keyring.current.id)
    for (const row of stale) {
      const aad = tokenAad(row.account_id, row.kind)
      const sealed = seal(keyring, open(keyring, sealedOf(row), aad), aad)
      // @NOTE updated_at is left alone: it says when the token was issued to us, not re-sealed
      await tx.query(
        `update account_token set key_id = $3, iv = $4, ciphertext = $5, tag = $6
         where account_id = $1 and kind = $2`,
        [row.account_id, row.kind, sealed.keyId, sealed.iv, sealed.ciphertext, sealed.tag],
      )
    }
    return { reencrypted: stale.length, total: rows.length }
  })
}

/**
 * The start-up check: every stored token must open with the configured keys. Throws one
 * ConfigError naming the variable and the key ids (never a token) when one does not.
 */
export async function checkKeyring(db: Db, keyring: Keyring | null): Promise<void> {
  const rows = await db.query<TokenRow>(
    `select ${TOKEN_COLUMNS} from account_token order by account_id, kind`,
  )
  if (rows.length === 0) return
  if (!keyring) {
    throw new ConfigError(
      `TOKEN_ENCRYPTION_KEY: not set, but ${rows.length} stored account token${rows.length === 1 ? '' : 's'} need it`,
    )
  }
  const problems: string[] = []
  const unknown = [...new Set(rows.map((r) => r.key_id))].filter((id) => !findKey(keyring, id))
  for (const id of unknown) {
    const n = rows.filter((r) => r.key_id === id).length
    problems.push(`${unknownKeyProblem(keyring, id)} (${n} token${n === 1 ? '' : 's'})`)
  }
  for (const row of rows.filter((r) => findKey(keyring, r.key_id))) {
    try {
      openRow(keyring, row)
    } catch (err) {
      problems.push(`TOKEN_ENCRYPTION_KEY: ${(err as Error).message}`)
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
}

function sealedOf(row: TokenRow): Sealed {
  // @NOTE pg returns bytea as Buffer, PGlite as Uint8Array
  return {
    keyId: row.key_id,
    iv: Buffer.from(row.iv),
    ciphertext: Buffer.from(row.ciphertext),
    tag: Buffer.from(row.tag),
  }
}

function openRow(keyring: Keyring, row: TokenRow): StoredToken {
  return {
    accountId: row.account_id,
    kind: row.kind,
    secret: open(keyring, sealedOf(row), tokenAad(row.account_id, row.kind)),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    scopes: row.scopes ?? [],
    updatedAt: new Date(row.updated_at),
  }
}
