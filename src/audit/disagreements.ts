/**
 * Where the policy and the council's moderators disagree: a Keep on a comment the policy hid,
 * or a Remove (hide, ban) on a comment the policy allowed and someone sent to review by hand.
 * Both halves are in the trail already (decision.made, review.resolved); this reads them as pairs.
 */
import type { Db } from './db.js'
import { isoOf } from './rows.js'

export type Disagreement = {
  eventId: string
  subjectKey: string
  accountId: string | null
  kind: 'kept_after_hide' | 'removed_after_allow'
  verdict: string
  /** the moderator's explanation */
  explanation: string | null
  moderator: string
  at: string
  /** the policy's categories and rules, or for a hand report the reporter's categories */
  categories: string[]
  rules: string[]
  /** null once retention purged it */
  text: string | null
}

export async function listDisagreements(
  db: Db,
  opts: { since: string; accountIds?: string[]; limit?: number },
): Promise<{ resolved: number; items: Disagreement[] }> {
  const scope = opts.accountIds ?? null
  const [count] = await db.query<{ n: number }>(
    `select count(*)::int as n from moderation_event
     where type = 'review.resolved' and created_at >= $1::timestamptz
       and ($2::text[] is null or account_id = any($2::text[]))`,
    [opts.since, scope],
  )
  const rows = await db.query(
    `select * from (
       select r.id::text as id, r.subject_key, r.account_id, r.meta->>'verdict' as verdict,
         r.reason, r.actor_id, r.created_at, d.meta->>'decision' as policy_decision,
         d.categories as policy_categories, d.rule_ids, q.categories as review_categories,
         c.text, r.id as ord
       from moderation_event r
       left join comment_snapshot c on c.subject_key = r.subject_key
       left join lateral (
         select x.meta, x.categories, x.rule_ids from moderation_event x
         where x.subject_key = r.subject_key and x.type = 'decision.made' and x.id < r.id
         order by x.id desc limit 1) d on true
       left join lateral (
         select x.categories from moderation_event x
         where x.subject_key = r.subject_key and x.type = 'review.requested' and x.id < r.id
         order by x.id desc limit 1) q on true
       where r.type = 'review.resolved' and r.created_at >= $1::timestamptz
         and ($2::text[] is null or r.account_id = any($2::text[]))) t
     where (policy_decision = 'act' and verdict = 'keep')
        or (policy_decision = 'allow' and verdict in ('hide', 'remove', 'ban'))
     order by ord desc
     limit $3`,
    [opts.since, scope, opts.limit ?? 1000],
  )
  return {
    resolved: count?.n ?? 0,
    items: rows.map((r) => {
      const kept = r.verdict === 'keep'
      const review = (r.review_categories ?? []) as string[]
      return {
        eventId: String(r.id),
        subjectKey: String(r.subject_key),
        accountId: (r.account_id ?? null) as string | null,
        kind: kept ? 'kept_after_hide' : 'removed_after_allow',
        verdict: String(r.verdict),
        explanation: (r.reason ?? null) as string | null,
        moderator: String(r.actor_id),
        at: isoOf(r.created_at),
        categories: !kept && review.length > 0 ? review : ((r.policy_categories ?? []) as string[]),
        rules: kept ? ((r.rule_ids ?? []) as string[]) : [],
        text: (r.text ?? null) as string | null,
      }
    }),
  }
}
