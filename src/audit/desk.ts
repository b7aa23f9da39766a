/**
 * Read side for the moderation desk (issue 14): the review queue, a comment's current state,
 * an author's comments, per-account and headline numbers. Every query is bounded and scoped by
 * the account ids the caller may see (null: every account).
 */
import type { Db } from './db.js'
import type { SubjectStatus } from './events.js'
import { fromStatusRow, STATUS_COLUMNS } from './rows.js'
import type { SnapshotReason } from './snapshot.js'

const SCOPE = '($1::text[] is null or s.account_id = any($1::text[]))'

/** The current state of many comments at once (a page of decisions). */
export async function statusesFor(db: Db, keys: string[]): Promise<Map<string, SubjectStatus>> {
  if (keys.length === 0) return new Map()
  const rows = await db.query(
    `select ${STATUS_COLUMNS} from subject_status where subject_key = any($1::text[])`,
    [keys],
  )
  return new Map(rows.map((r) => [String(r.subject_key), fromStatusRow(r)]))
}

/** One comment as the desk lists it: its state and (when kept) its words and reasons. */
export type DeskItem = {
  status: SubjectStatus
  text: string | null
  authorName: string | null
  permalink: string | null
  reasons: SnapshotReason[]
  purgedAt: string | null
  /** the newest event of the comment: acting on it from a list names this as what was seen */
  lastEventId: string
  /** review.requested's suggestion, for queue items */
  suggested: string | null
  urgent: boolean
}

const ITEM_COLUMNS = `s.subject_key, s.platform, s.comment_id, s.post_id, s.account_id, s.author_id,
  s.visibility, s.review_state, s.last_decision, s.last_action, s.categories, s.content_hash,
  s.last_event_id::text as last_event_id, s.last_reviewed_by, s.last_reviewed_at, s.created_at,
  s.updated_at, c.text, c.author_name, c.permalink, c.reasons, c.purged_at`

function toItem(r: Record<string, unknown>): DeskItem {
  return {
    status: fromStatusRow(r),
    text: (r.text ?? null) as string | null,
    authorName: (r.author_name ?? null) as string | null,
    permalink: (r.permalink ?? null) as string | null,
    reasons: (r.reasons ?? []) as SnapshotReason[],
    purgedAt: r.purged_at == null ? null : new Date(r.purged_at as string).toISOString(),
    lastEventId: String(r.last_event_id),
    suggested: (r.suggested ?? null) as string | null,
    urgent: r.urgent === true || r.urgent === 'true',
  }
}

export const QUEUE_SORTS = ['waiting', 'account', 'author'] as const
export type QueueSort = (typeof QUEUE_SORTS)[number]

/**
 * Comments waiting for a person (review open or escalated), with what the reviewer needs.
 * Sorted by how long they have waited (oldest first), account or author; urgent ones first.
 */
export async function openReviewItems(
  db: Db,
  opts: { accountIds: string[] | null; sort?: QueueSort; desc?: boolean; limit?: number },
): Promise<DeskItem[]> {
  const dir = opts.desc ? 'desc' : 'asc'
  const order =
    opts.sort === 'account'
      ? `s.account_id ${dir}, s.created_at`
      : opts.sort === 'author'
        ? `coalesce(c.author_name, s.author_id) ${dir} nulls last, s.created_at`
        : `s.created_at ${dir}`
  const rows = await db.query(
    `select ${ITEM_COLUMNS}, r.meta->>'suggested' as suggested, r.meta->>'urgent' as urgent
     from subject_status s
     left join comment_snapshot c on c.subject_key = s.subject_key
     left join lateral (
       select e.meta from moderation_event e
       where e.subject_key = s.subject_key and e.type = 'review.requested'
       order by e.id desc limit 1
     ) r on true
     where s.review_state in ('open', 'escalated') and ${SCOPE}
     order by (r.meta->>'urgent') = 'true' desc, ${order}
     limit $2`,
    [opts.accountIds, Math.min(opts.limit ?? 200, 500)],
  )
  return rows.map(toItem)
}

/** Every comment of one author on the accounts in scope, newest first. */
export async function authorItems(
  db: Db,
  platform: string,
  authorId: string,
  opts: { accountIds: string[] | null; limit?: number },
): Promise<DeskItem[]> {
  const rows = await db.query(
    `select ${ITEM_COLUMNS} from subject_status s
     left join comment_snapshot c on c.subject_key = s.subject_key
     where s.author_id = $2 and s.platform = $4 and ${SCOPE}
     order by s.created_at desc limit $3`,
    [opts.accountIds, authorId, Math.min(opts.limit ?? 200, 500), platform],
  )
  return rows.map(toItem)
}

/** One comment for the desk. */
export async function deskItem(db: Db, subjectKey: string): Promise<DeskItem | null> {
  const [row] = await db.query(
    `select ${ITEM_COLUMNS} from subject_status s
     left join comment_snapshot c on c.subject_key = s.subject_key where s.subject_key = $1`,
    [subjectKey],
  )
  return row ? toItem(row) : null
}

/** Human decisions on an author's comments that took something away from them. */
export async function authorSanctions(
  db: Db,
  platform: string,
  authorId: string,
  accountIds: string[] | null,
): Promise<{ accountId: string; verdict: string; at: string; subjectKey: string }[]> {
  const rows = await db.query<{
    account_id: string
    verdict: string
    created_at: string | Date
    subject_key: string
  }>(
    `select s.account_id, s.meta->>'verdict' as verdict, s.created_at, s.subject_key
     from moderation_event s
     where s.author_id = $2 and s.platform = $3 and s.type = 'review.resolved'
       and s.meta->>'verdict' in ('remove', 'hide', 'ban') and ${SCOPE}
     order by s.created_at desc limit 200`,
    [accountIds, authorId, platform],
  )
  return rows.map((r) => ({
    accountId: r.account_id,
    verdict: r.verdict,
    at: new Date(r.created_at).toISOString(),
    subjectKey: r.subject_key,
  }))
}

export type AccountNumbers = {
  accountId: string
  received: number
  hiddenAutomatically: number
  sentForReview: number
  decidedByPeople: number
  waiting: number
}

/**
 * Per account between two instants: comments received, hidden by the policy, sent for review,
 * decided by a person, and waiting for review now.
 */
export async function accountNumbers(
  db: Db,
  opts: { accountIds: string[] | null; from: string; to: string },
): Promise<AccountNumbers[]> {
  const rows = await db.query<{
    account_id: string
    received: number
    hidden: number
    review: number
    people: number
  }>(
    `select s.account_id,
       count(*) filter (where s.type = 'comment.received')::int as received,
       count(*) filter (where s.type = 'decision.made' and s.meta->>'decision' = 'act')::int as hidden,
       count(*) filter (where s.type = 'decision.made' and s.meta->>'decision' = 'review')::int as review,
       count(*) filter (where s.type in ('review.resolved', 'review.escalated'))::int as people
     from moderation_event s
     where s.created_at >= $2::timestamptz and s.created_at < $3::timestamptz and ${SCOPE}
       and s.type in ('comment.received', 'decision.made', 'review.resolved', 'review.escalated')
     group by s.account_id`,
    [opts.accountIds, opts.from, opts.to],
  )
  const waiting = await db.query<{ account_id: string; n: number }>(
    `select s.account_id, count(*)::int as n from subject_status s
     where s.review_state in ('open', 'escalated') and ${SCOPE} group by s.account_id`,
    [opts.accountIds],
  )
  const out = new Map<string, AccountNumbers>()
  const get = (id: string) => {
    let n = out.get(id)
    if (!n) {
      n = {
        accountId: id,
        received: 0,
        hiddenAutomatically: 0,
        sentForReview: 0,
        decidedByPeople: 0,
        waiting: 0,
      }
      out.set(id, n)
    }
    return n
  }
  for (const r of rows) {
    Object.assign(get(r.account_id), {
      received: r.received,
      hiddenAutomatically: r.hidden,
      sentForReview: r.review,
      decidedByPeople: r.people,
    })
  }
  for (const r of waiting) get(r.account_id).waiting = r.n
  return [...out.values()]
}

/** The moderator ids that have decided anything in scope, for the "decided by" picker. */
export async function moderatorIds(db: Db, accountIds: string[] | null): Promise<string[]> {
  const rows = await db.query<{ actor_id: string }>(
    `select distinct s.actor_id from moderation_event s
     where s.actor_kind = 'moderator' and s.type in ('review.resolved', 'review.escalated')
       and ${SCOPE} order by 1 limit 200`,
    [accountIds],
  )
  return rows.map((r) => r.actor_id)
}
