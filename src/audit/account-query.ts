/** Read side for one account's history: what evidence bundles and account removal ask. */
import type { Db } from './db.js'

/**
 * The comments of one account by one author, or under one post, oldest first: the comments an
 * evidence bundle covers. Bounded by `limit`.
 */
export async function commentsOf(
  db: Db,
  scope: { accountId: string } & ({ authorId: string } | { postId: string }),
  limit: number,
): Promise<string[]> {
  const [column, value] =
    'authorId' in scope ? ['author_id', scope.authorId] : ['post_id', scope.postId]
  const rows = await db.query<{ subject_key: string }>(
    `select subject_key from moderation_event where account_id = $1 and ${column} = $2
     and comment_id is not null group by subject_key order by min(id) limit $3`,
    [scope.accountId, value, limit],
  )
  return rows.map((r) => r.subject_key)
}

/** How many audit events name the account (what removing it keeps). */
export async function countAccountEvents(db: Db, accountId: string): Promise<number> {
  const [row] = await db.query<{ n: number | string }>(
    'select count(*) as n from moderation_event where account_id = $1',
    [accountId],
  )
  return Number(row?.n ?? 0)
}
