/** The web app's users: admin (everything), auditor (read-only), councillor (own accounts). */
import { z } from 'zod'
import type { Db } from '../audit/index.js'
import { AppError } from '../errors.js'
import { hashPassword } from './passwords.js'

export const ROLES = ['admin', 'auditor', 'councillor'] as const
export type Role = (typeof ROLES)[number]

export const NewUserSchema = z
  .object({
    username: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'use 2-64 lower-case letters, digits, . _ -'),
    role: z.enum(ROLES),
    accountIds: z.array(z.string().min(1)).default([]),
    password: z.string().min(12, 'use at least 12 characters'),
  })
  .refine((u) => u.role !== 'councillor' || u.accountIds.length > 0, {
    message: 'a councillor needs at least one account (--account <id>)',
    path: ['accountIds'],
  })
export type NewUser = z.input<typeof NewUserSchema>

export type WebUser = {
  username: string
  role: Role
  accountIds: string[]
  createdAt: string
}

type UserRow = {
  username: string
  role: Role
  account_ids: string[]
  password_hash: string
  created_at: Date | string
}

function toUser(r: UserRow): WebUser {
  return {
    username: r.username,
    role: r.role,
    accountIds: r.account_ids ?? [],
    createdAt: new Date(r.created_at).toISOString(),
  }
}

export async function addUser(db: Db, input: NewUser): Promise<WebUser> {
  const parsed = NewUserSchema.safeParse(input)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new AppError('message_invalid', `invalid user: ${problems.join('; ')}`)
  }
  const u = parsed.data
  const hash = await hashPassword(u.password)
  const rows = await db.query<UserRow>(
    `insert into web_user (username, role, account_ids, password_hash) values ($1, $2, $3, $4)
     on conflict (username) do update set role = excluded.role,
       account_ids = excluded.account_ids, password_hash = excluded.password_hash
     returning username, role, account_ids, password_hash, created_at`,
    [u.username, u.role, u.role === 'councillor' ? u.accountIds : [], hash],
  )
  return toUser(rows[0] as UserRow)
}

export async function listUsers(db: Db): Promise<WebUser[]> {
  const rows = await db.query<UserRow>(
    'select username, role, account_ids, password_hash, created_at from web_user order by username',
  )
  return rows.map(toUser)
}

/** Removes the user and, with them, their sessions and API tokens. */
export async function removeUser(db: Db, username: string): Promise<boolean> {
  const rows = await db.query('delete from web_user where username = $1 returning username', [
    username,
  ])
  return rows.length > 0
}

export async function findUserWithHash(
  db: Db,
  username: string,
): Promise<{ user: WebUser; passwordHash: string } | null> {
  const [row] = await db.query<UserRow>(
    'select username, role, account_ids, password_hash, created_at from web_user where username = $1',
    [username],
  )
  return row ? { user: toUser(row), passwordHash: row.password_hash } : null
}
