/**
 * Accounts connected from the web app or the CLI. Each row's `config` is an account exactly as
 * YAML would write it, validated with the same AccountSchema on the way in and on the way out,
 * so both sources end up in one model.
 */
import type { z } from 'zod'
import { type Db, withTransaction } from '../audit/db.js'
import { type Account, AccountSchema, platformIdOf } from '../config/accounts.js'
import { ConfigError } from '../errors.js'

type AccountRow = { id: string; config: unknown }

export async function listConnectedAccounts(db: Db): Promise<Account[]> {
  const rows = await db.query<AccountRow>('select id, config from connected_account order by id')
  const problems: string[] = []
  const accounts: Account[] = []
  for (const row of rows) {
    const parsed = AccountSchema.safeParse(parseJson(row.config))
    // @NOTE a row written by an older version may no longer validate: say which, do not guess
    if (parsed.success) accounts.push(parsed.data)
    else problems.push(...describe(`connected account (${row.id})`, parsed.error))
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return accounts
}

/**
 * Adds or replaces (same id) a connected account. Refused with a ConfigError naming each wrong
 * field, or when another account already has the same Page or X user.
 */
export async function saveConnectedAccount(db: Db, account: unknown, by: string): Promise<Account> {
  const parsed = AccountSchema.safeParse(account)
  if (!parsed.success) {
    const id = (account as { id?: unknown } | null)?.id
    throw new ConfigError(
      describe(`connected account${typeof id === 'string' ? ` (${id})` : ''}`, parsed.error),
    )
  }
  const a = parsed.data
  const platformId = platformIdOf(a)
  return withTransaction(db, async (tx) => {
    const clash = await tx.query<{ id: string }>(
      'select id from connected_account where platform = $1 and platform_id = $2 and id <> $3',
      [a.platform, platformId, a.id],
    )
    if (clash[0]) {
      throw new ConfigError(
        `connected account (${a.id}): ${a.platform} id ${platformId} is already connected as ${clash[0].id}`,
      )
    }
    // @NOTE stringified: `pg` would send a plain object as JSON but an array as a Postgres array
    await tx.query(
      `insert into connected_account (id, platform, platform_id, config, created_by)
       values ($1, $2, $3, $4::jsonb, $5)
       on conflict (id) do update set platform = excluded.platform,
         platform_id = excluded.platform_id, config = excluded.config, updated_at = now()`,
      [a.id, a.platform, platformId, JSON.stringify(a), by],
    )
    return a
  })
}

/** Removes the account's row; its tokens go with deleteTokens, its audit history stays. */
export async function removeConnectedAccount(db: Db, id: string): Promise<boolean> {
  const rows = await db.query('delete from connected_account where id = $1 returning id', [id])
  return rows.length > 0
}

function parseJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v
}

function describe(where: string, error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('')
    return `${where}${path || ''}: ${i.message}`
  })
}
