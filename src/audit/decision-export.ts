/**
 * The moderators' decisions as the training export reads them: each comment's latest review
 * verdict beside what the policy had decided, and its text while retention still keeps it.
 */
import type { Db } from './db.js'
import { isoOf } from './rows.js'

export type ExportedDecision = {
  subjectKey: string
  accountId: string | null
  platform: string
  /** the moderator's verdict: keep, hide, remove or ban */
  verdict: 'keep' | 'hide' | 'remove' | 'ban'
  /** what the policy decided first (allow, act, review), null when it never decided */
  policyDecision: 'allow' | 'act' | 'review' | null
  /** the categories the policy named, or those named by whoever sent it to review by hand */
  categories: string[]
  /** who asked for the review: the policy, or a person who reported an allowed comment */
  requestedBy: 'policy' | 'moderator' | null
  /** the comment's words; null once retention has purged them */
  text: string | null
  /** the author's display name (masked out of the text before training), null once purged */
  authorName: string | null
  resolvedBy: string
  resolvedAt: string
}

/**
 * Every comment a moderator kept, hid, removed or banned for, its latest verdict only.
 * @NOTE purged comments come back with text null, so the caller can say how many retention took.
 */
export async function exportDecisions(
  db: Db,
  opts: { since?: string; accountId?: string } = {},
): Promise<ExportedDecision[]> {
  const rows = await db.query(
    `select distinct on (r.subject_key) r.subject_key, r.account_id, r.platform,
       r.meta->>'verdict' as verdict, r.actor_id, r.created_at,
       d.meta->>'decision' as policy_decision, d.categories as policy_categories,
       q.categories as review_categories, q.actor_kind as requested_by,
       c.text, c.author_name
     from moderation_event r
     left join comment_snapshot c on c.subject_key = r.subject_key
     left join lateral (
       select x.meta, x.categories from moderation_event x
       where x.subject_key = r.subject_key and x.type = 'decision.made' and x.id < r.id
       order by x.id desc limit 1) d on true
     left join lateral (
       select x.categories, x.actor_kind from moderation_event x
       where x.subject_key = r.subject_key and x.type = 'review.requested' and x.id < r.id
       order by x.id desc limit 1) q on true
     where r.type = 'review.resolved'
       and r.meta->>'verdict' in ('keep', 'hide', 'remove', 'ban')
       and ($1::timestamptz is null or r.created_at >= $1::timestamptz)
       and ($2::text is null or r.account_id = $2::text)
     order by r.subject_key, r.id desc`,
    [opts.since ?? null, opts.accountId ?? null],
  )
  return rows.map((r) => {
    const fromReview = (r.review_categories ?? []) as string[]
    const fromPolicy = (r.policy_categories ?? []) as string[]
    return {
      subjectKey: String(r.subject_key),
      accountId: (r.account_id ?? null) as string | null,
      platform: String(r.platform),
      verdict: r.verdict as ExportedDecision['verdict'],
      policyDecision: (r.policy_decision ?? null) as ExportedDecision['policyDecision'],
      categories: fromReview.length > 0 ? fromReview : fromPolicy,
      requestedBy: (r.requested_by ?? null) as ExportedDecision['requestedBy'],
      text: (r.text ?? null) as string | null,
      authorName: (r.author_name ?? null) as string | null,
      resolvedBy: String(r.actor_id),
      resolvedAt: isoOf(r.created_at),
    }
  })
}

/**
 * A moderator overturning the policy: Keep on a comment the policy hid, or Remove (or hide, or
 * ban) on a comment the policy allowed and someone sent to review by hand.
 */
export function isDisagreement(d: Pick<ExportedDecision, 'verdict' | 'policyDecision'>): boolean {
  if (d.policyDecision === 'act') return d.verdict === 'keep'
  if (d.policyDecision === 'allow') return d.verdict !== 'keep'
  return false
}
