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
    /** shown wherever they decided, e.g. "Removed by Priya Patel" */
    displayName: z.string().trim().min(1).max(100).optional(),
    /** the moderator id that the accounts' review lists name (a Slack user id) */
    slackUserId: z
      .string()
      .regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id such as U0123ABCD')
      .optional(),
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
  displayName?: string | null
  /** the moderator id in the accounts' review lists: deciding needs it (see canDecide) */
  slackUserId?: string | null
  /** see comment text: null means the role's default */
  showText?: boolean | null
}

/** The columns every query that loads a user selects (web_user as u). */
export const USER_COLUMNS =
  'u.username, u.role, u.account_ids, u.created_at, u.display_name, u.slack_user_id, u.show_text'

export type UserRow = {
  username: string
  role: Role
  account_ids: string[]
  created_at: Date | string
  display_name?: string | null
  slack_user_id?: string | null
  show_text?: boolean | null
}

export function userFromRow(r: UserRow): WebUser {
  return {
    username: r.username,
    role: r.role,
    accountIds: r.account_ids ?? [],
    createdAt: new Date(r.created_at).toISOString(),
    displayName: r.display_name ?? null,
    slackUserId: r.slack_user_id ?? null,
    showText: r.show_text ?? null,
  }
}
const toUser = userFromRow

export async function addUser(db: Db, input: NewUser): Promise<WebUser> {
  const parsed = NewUserSchema.safeParse(input)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new AppError('message_invalid', `invalid user: ${problems.join('; ')}`)
  }
  const u = parsed.data
  const hash = await hashPassword(u.password)
  const rows = await db.query<UserRow>(
    `insert into web_user as u (username, role, account_ids, password_hash, display_name,
       slack_user_id) values ($1, $2, $3, $4, $5, $6)
     on conflict (username) do update set role = excluded.role,
       account_ids = excluded.account_ids, password_hash = excluded.password_hash,
       display_name = coalesce(excluded.display_name, u.display_name),
       slack_user_id = coalesce(excluded.slack_user_id, u.slack_user_id)
     returning ${USER_COLUMNS}`,
    [
      u.username,
      u.role,
      u.role === 'councillor' ? u.accountIds : [],
      hash,
      u.displayName ?? null,
      u.slackUserId ?? null,
    ],
  )
  return toUser(rows[0] as UserRow)
}

export async function listUsers(db: Db): Promise<WebUser[]> {
  const rows = await db.query<UserRow>(`select ${USER_COLUMNS} from web_user u order by u.username`)
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
  const [row] = await db.query<UserRow & { password_hash: string }>(
    `select ${USER_COLUMNS}, u.password_hash from web_user u where u.username = $1`,
    [username],
  )
  return row ? { user: toUser(row), passwordHash: row.password_hash } : null
}

/** A user's own settings: the name shown for their decisions, and whether they see comment text. */
export const UserSettingsSchema = z.object({
  displayName: z.string().trim().max(100),
  showText: z.boolean(),
})

export async function saveUserSettings(
  db: Db,
  username: string,
  settings: z.input<typeof UserSettingsSchema>,
): Promise<void> {
  const s = UserSettingsSchema.parse(settings)
  await db.query('update web_user set display_name = $2, show_text = $3 where username = $1', [
    username,
    s.displayName || null,
    s.showText,
  ])
}

/** Display names of the users linked to these moderator ids (for "Removed by Priya Patel"). */
export async function namesForModerators(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.query<{ slack_user_id: string; name: string }>(
    `select slack_user_id, coalesce(display_name, username) as name from web_user
     where slack_user_id = any($1::text[])`,
    [ids],
  )
  return new Map(rows.map((r) => [r.slack_user_id, r.name]))
}
