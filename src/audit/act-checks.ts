/**
 * What the act stage reads before it calls a platform. A person's decision wins over an earlier
 * automatic one: has a person kept this comment since the policy asked for this action (then the
 * policy's action is cancelled), and is an automatic hide still on its way (then a person's
 * unhide waits for it to settle, so it lands after it).
 */
import type { Db } from './db.js'
import type { AuditEvent } from './events.js'
import { EVENT_COLUMNS, fromEventRow } from './rows.js'

/** Events that settle an action request: after one of these it will not run. */
export const SETTLED_TYPES = ['action.applied', 'action.failed', 'action.cancelled'] as const

export type ActChecks = {
  /** the events the request's cause already caused, oldest first */
  caused: AuditEvent[]
  /**
   * the id of a person's Keep on the subject recorded after the cause, if their latest review
   * decision is one. @NOTE only Keep overrules a hide: Hide, Remove and Ban on a comment whose
   * hide is still queued count on that hide (actionsFor asks for no second one)
   */
  keptBy: string | null
}

/**
 * Both of an act job's reads in one statement: on the embedded store every statement is work on
 * the thread that also classifies, and every act job asks them.
 */
export async function actChecks(db: Db, causedBy: string, subjectKey: string): Promise<ActChecks> {
  const [row] = await db.query<{ caused: Record<string, unknown>[] | null; kept: Kept | null }>(
    `select
       (select json_agg(c order by c.seq) from (
          select ${EVENT_COLUMNS}, e.id as seq from moderation_event e
          where e.caused_by = $1::bigint
        ) c) as caused,
       (select json_build_object('id', r.id::text, 'verdict', r.meta->>'verdict')
          from moderation_event r
          where r.subject_key = $2 and r.type = 'review.resolved' and r.id > $1::bigint
          order by r.id desc limit 1) as kept`,
    [causedBy, subjectKey],
  )
  const kept = row?.kept ?? null
  return {
    caused: (row?.caused ?? []).map(fromEventRow),
    keptBy: kept?.verdict === 'keep' ? kept.id : null,
  }
}

type Kept = { id: string; verdict: string | null }

/** An automatic hide requested before `beforeId` that has not been applied, failed or cancelled. */
export async function hidePendingBefore(
  db: Db,
  subjectKey: string,
  beforeId: string,
): Promise<string | null> {
  const [row] = await db.query<{ id: string }>(
    `select r.id::text as id from moderation_event r
     where r.subject_key = $1 and r.type = 'action.requested' and r.id < $2::bigint
       and r.actor_kind = 'policy' and r.meta->>'action' = 'hide'
       and not exists (
         select 1 from moderation_event s
         where s.caused_by = r.id and s.type = any($3::text[])
       )
     limit 1`,
    [subjectKey, beforeId, [...SETTLED_TYPES, 'action.parked']],
  )
  return row?.id ?? null
}
