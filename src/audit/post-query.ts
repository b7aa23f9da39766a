/** Read side for pile-ons: the flagged comments under one post of one account. */
import type { Db } from './db.js'
import type { SubjectStatus } from './events.js'
import { fromStatusRow, STATUS_COLUMNS } from './rows.js'

/**
 * Comments on the post that the policy did not simply allow (hidden, or sent to review), with
 * their state: what "Hide all flagged on this post" acts on. Bounded: a pile-on is hundreds.
 */
export async function flaggedOnPost(
  db: Db,
  accountId: string,
  postId: string,
  limit = 2_000,
): Promise<SubjectStatus[]> {
  const rows = await db.query(
    `select ${STATUS_COLUMNS} from subject_status
     where account_id = $1 and post_id = $2 and last_decision in ('act', 'review')
     order by created_at limit $3`,
    [accountId, postId, limit],
  )
  return rows.map(fromStatusRow)
}
