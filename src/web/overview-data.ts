/** The numbers behind the overview page, each one aggregate query over the trail. */
import { countOpenReviews, type Db } from '../audit/index.js'
import type { Scope } from './access.js'

export type DayCount = { day: string; key: string; n: number }

export type Overview = {
  days: string[]
  byCategory: DayCount[]
  autoVsHuman: DayCount[]
  latency: {
    automaticMedianS: number | null
    automaticP90S: number | null
    humanMedianS: number | null
    humanP90S: number | null
  }
  openReviews: { accountId: string; n: number }[]
  repeatOffenders: { accountId: string; authorId: string; n: number }[]
}

// @NOTE null scope means every account; a councillor's list becomes `account_id = any($2)`
const SCOPED = '($2::text[] is null or account_id = any($2::text[]))'

export async function loadOverview(
  db: Db,
  scope: Scope,
  accountIds: string[],
  now: Date,
  days = 30,
): Promise<Overview> {
  const since = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * 86_400_000,
  )
  const ids = scope.all ? null : scope.accountIds
  const p = [since.toISOString(), ids]
  const byCategory = await db.query<{ day: string; key: string; n: number }>(
    `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, c as key, count(*)::int as n
     from moderation_event, unnest(categories) as c
     where type = 'decision.made' and created_at >= $1::timestamptz and ${SCOPED}
     group by 1, 2 order by 1, 2`,
    p,
  )
  const autoVsHuman = await db.query<{ day: string; key: string; n: number }>(
    `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day,
       case when type = 'decision.made' then 'automatic' else 'human' end as key, count(*)::int as n
     from moderation_event
     where type in ('decision.made', 'review.resolved') and created_at >= $1::timestamptz and ${SCOPED}
     group by 1, 2 order by 1, 2`,
    p,
  )
  const [lat] = await db.query<Record<string, number | null>>(
    `with received as (
       select subject_key,
         min(coalesce((meta->>'postedAt')::timestamptz, created_at)) as at
       from moderation_event
       where type = 'comment.received' and created_at >= $1::timestamptz and ${SCOPED}
       group by subject_key
     ), decided as (
       select e.type, extract(epoch from e.created_at - r.at)::float8 as s
       from moderation_event e join received r on r.subject_key = e.subject_key
       where e.type in ('decision.made', 'review.resolved') and e.created_at >= $1::timestamptz
     )
     select
       percentile_cont(0.5) within group (order by s) filter (where type = 'decision.made') as am,
       percentile_cont(0.9) within group (order by s) filter (where type = 'decision.made') as a90,
       percentile_cont(0.5) within group (order by s) filter (where type = 'review.resolved') as hm,
       percentile_cont(0.9) within group (order by s) filter (where type = 'review.resolved') as h90
     from decided`,
    p,
  )
  const repeatOffenders = await db.query<{ account_id: string; author_id: string; n: number }>(
    `select account_id, author_id, count(*)::int as n from moderation_event
     where type = 'decision.made' and meta->>'decision' in ('act', 'review')
       and author_id is not null and created_at >= $1::timestamptz and ${SCOPED}
     group by 1, 2 having count(*) >= 2 order by n desc, account_id, author_id limit 20`,
    p,
  )
  const openReviews = []
  for (const accountId of accountIds) {
    openReviews.push({ accountId, n: await countOpenReviews(db, { accountId }) })
  }
  return {
    days: Array.from({ length: days }, (_, i) =>
      new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10),
    ),
    byCategory,
    autoVsHuman,
    latency: {
      automaticMedianS: lat?.am ?? null,
      automaticP90S: lat?.a90 ?? null,
      humanMedianS: lat?.hm ?? null,
      humanP90S: lat?.h90 ?? null,
    },
    openReviews,
    repeatOffenders: repeatOffenders.map((r) => ({
      accountId: r.account_id,
      authorId: r.author_id,
      n: r.n,
    })),
  }
}
