/**
 * The numbers behind the overview page, each one aggregate query over the trail, between two
 * UK dates (days are Europe/London days) and for the accounts in scope (null: every account).
 */
import type { Db } from './db.js'

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
  repeatOffenders: {
    accountId: string
    platform: string
    authorId: string
    name: string | null
    n: number
  }[]
}

const TZ = 'Europe/London'
const SCOPED = '($3::text[] is null or account_id = any($3::text[]))'
const DAY = `to_char(created_at at time zone '${TZ}', 'YYYY-MM-DD')`

/** `from` and `to` are UK dates (YYYY-MM-DD), both included. */
export async function loadOverview(
  db: Db,
  opts: { from: string; to: string; accountIds: string[] | null },
): Promise<Overview> {
  // @NOTE the bounds are London midnights, so a day's bar holds that UK day's decisions
  const [bounds] = await db.query<{ start: string; end: string }>(
    `select (($1::date)::timestamp at time zone '${TZ}')::text as start,
            ((($2::date) + 1)::timestamp at time zone '${TZ}')::text as end`,
    [opts.from, opts.to],
  )
  const p = [bounds?.start, bounds?.end, opts.accountIds]
  const window = `created_at >= $1::timestamptz and created_at < $2::timestamptz and ${SCOPED}`
  const byCategory = await db.query<DayCount>(
    `select ${DAY} as day, c as key, count(*)::int as n
     from moderation_event, unnest(categories) as c
     where type = 'decision.made' and ${window}
     group by 1, 2 order by 1, 2`,
    p,
  )
  const autoVsHuman = await db.query<DayCount>(
    `select ${DAY} as day,
       case when type = 'decision.made' then 'automatic' else 'human' end as key, count(*)::int as n
     from moderation_event
     where type in ('decision.made', 'review.resolved', 'review.escalated') and ${window}
     group by 1, 2 order by 1, 2`,
    p,
  )
  const [lat] = await db.query<Record<string, number | null>>(
    `with received as (
       select subject_key,
         min(coalesce((meta->>'postedAt')::timestamptz, created_at)) as at
       from moderation_event
       where type = 'comment.received' and ${window}
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
  const repeat = await db.query<{
    account_id: string
    platform: string
    author_id: string
    n: number
    name: string | null
  }>(
    `select e.account_id, e.platform, e.author_id, count(*)::int as n,
       max(c.author_name) as name
     from moderation_event e left join comment_snapshot c on c.subject_key = e.subject_key
     where e.type = 'decision.made' and e.meta->>'decision' in ('act', 'review')
       and e.author_id is not null and e.created_at >= $1::timestamptz
       and e.created_at < $2::timestamptz and ($3::text[] is null or e.account_id = any($3::text[]))
     group by 1, 2, 3 having count(*) >= 2 order by n desc, 1, 3 limit 20`,
    p,
  )
  const open = await db.query<{ account_id: string; n: number }>(
    `select account_id, count(*)::int as n from subject_status
     where review_state in ('open', 'escalated') and ($1::text[] is null or account_id = any($1::text[]))
     group by 1`,
    [opts.accountIds],
  )
  const days: string[] = []
  for (
    let d = new Date(`${opts.from}T12:00:00Z`);
    d <= new Date(`${opts.to}T12:00:00Z`) && days.length < 400;
    d = new Date(d.getTime() + 86_400_000)
  )
    days.push(d.toISOString().slice(0, 10))
  return {
    days,
    byCategory,
    autoVsHuman,
    latency: {
      automaticMedianS: lat?.am ?? null,
      automaticP90S: lat?.a90 ?? null,
      humanMedianS: lat?.hm ?? null,
      humanP90S: lat?.h90 ?? null,
    },
    openReviews: open.map((r) => ({ accountId: r.account_id, n: r.n })),
    repeatOffenders: repeat.map((r) => ({
      accountId: r.account_id,
      platform: r.platform,
      authorId: r.author_id,
      name: r.name,
      n: r.n,
    })),
  }
}
