/**
 * A person's decision wins over an earlier automatic one. The act stage asks two questions
 * before it calls a platform: has a person kept this comment since the policy asked for this
 * action (then the policy's action is cancelled), and is an automatic hide still on its
 * way (then a person's action waits for it to settle, so their unhide lands after it).
 */
import type { AuditEvent, Db } from '../audit/index.js'

/** Events that settle an action request: after one of these it will not run. */
export const SETTLED_TYPES = ['action.applied', 'action.failed', 'action.cancelled'] as const

/**
 * The id of a person's Keep on the subject recorded after `afterId`, if their latest decision is
 * one. @NOTE only Keep overrules a hide: Hide, Remove and Ban on a comment whose hide is still
 * queued count on that hide (actionsFor asks for no second one).
 */
export async function personKeptSince(
  db: Db,
  subjectKey: string,
  afterId: string,
): Promise<string | null> {
  const [row] = await db.query<{ id: string; verdict: string | null }>(
    `select id::text as id, meta->>'verdict' as verdict from moderation_event
     where subject_key = $1 and type = 'review.resolved' and id > $2::bigint
     order by id desc limit 1`,
    [subjectKey, afterId],
  )
  return row?.verdict === 'keep' ? row.id : null
}

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

/**
 * Whether the comment is hidden, or about to be: shown to reviewers, and what makes a Keep a
 * reversal that needs an explanation (and an unhide).
 */
export function hiddenOrPending(visibility: string | undefined, events: AuditEvent[]): boolean {
  if (visibility === 'hidden') return true
  const settled = new Set(
    events
      .filter((e) => (SETTLED_TYPES as readonly string[]).includes(e.type))
      .map((e) => e.causedBy),
  )
  return events.some(
    (e) =>
      e.type === 'action.requested' &&
      e.actor.kind === 'policy' &&
      e.meta.action === 'hide' &&
      !settled.has(e.id),
  )
}
