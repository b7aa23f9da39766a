/** Read side of the audit store: what the pipeline, the sweep and the audit page ask. */
import { z } from 'zod'
import { AppError } from '../errors.js'
import { ActorSchema } from '../pipeline/messages.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import type { Db } from './db.js'
import { type AuditEvent, AuditEventTypeSchema, type SubjectStatus } from './events.js'
import { EVENT_COLUMNS, fromEventRow, fromStatusRow, STATUS_COLUMNS } from './rows.js'

/** Every event of one comment, oldest first. */
export async function eventsForSubject(db: Db, subjectKey: string): Promise<AuditEvent[]> {
  const rows = await db.query(
    `select ${EVENT_COLUMNS} from moderation_event e where e.subject_key = $1 order by e.id`,
    [subjectKey],
  )
  return rows.map(fromEventRow)
}

/** The events a given event caused (its follow-ups and outcomes), in order; uses an index. */
export async function eventsCausedBy(db: Db, causedBy: string): Promise<AuditEvent[]> {
  const rows = await db.query(
    `select ${EVENT_COLUMNS} from moderation_event e where e.caused_by = $1::bigint order by e.id`,
    [causedBy],
  )
  return rows.map(fromEventRow)
}

export async function getStatus(db: Db, subjectKey: string): Promise<SubjectStatus | null> {
  const [row] = await db.query(
    `select ${STATUS_COLUMNS} from subject_status where subject_key = $1`,
    [subjectKey],
  )
  return row ? fromStatusRow(row) : null
}

const isoDate = z.iso.datetime({ offset: true })

export const EventFilterSchema = z.object({
  accountId: z.string().optional(),
  subjectKey: z.string().optional(),
  type: z.union([AuditEventTypeSchema, z.array(AuditEventTypeSchema).min(1)]).optional(),
  category: z.string().optional(),
  actorKind: ActorSchema.shape.kind.optional(),
  actorId: z.string().optional(),
  /** inclusive */
  from: isoDate.optional(),
  /** exclusive */
  to: isoDate.optional(),
})
export type EventFilter = z.input<typeof EventFilterSchema>

export type EventPage = { items: AuditEvent[]; nextCursor: string | null }

export const MAX_PAGE_SIZE = 500

/**
 * Newest first, keyset-paged on (created_at, id): a page never repeats or skips an event, however
 * many are recorded meanwhile. Pass the previous page's nextCursor to continue; null means done.
 */
export async function listEvents(
  db: Db,
  filter: EventFilter = {},
  cursor?: string | null,
  limit = 50,
): Promise<EventPage> {
  const parsed = EventFilterSchema.safeParse(filter)
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ')
    throw new AppError('message_invalid', `invalid audit filter (${fields})`)
  }
  const f = parsed.data
  const pageSize = Math.min(Math.max(1, Math.trunc(limit)), MAX_PAGE_SIZE)
  const where: string[] = []
  const params: unknown[] = []
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value)
    where.push(sql(`$${params.length}`))
  }
  if (f.accountId !== undefined) add((p) => `account_id = ${p}`, f.accountId)
  if (f.subjectKey !== undefined) add((p) => `subject_key = ${p}`, f.subjectKey)
  if (typeof f.type === 'string') add((p) => `type = ${p}`, f.type)
  if (Array.isArray(f.type)) add((p) => `type = any(${p}::text[])`, f.type)
  if (f.category !== undefined) add((p) => `${p} = any(categories)`, f.category)
  if (f.actorKind !== undefined) add((p) => `actor_kind = ${p}`, f.actorKind)
  if (f.actorId !== undefined) add((p) => `actor_id = ${p}`, f.actorId)
  if (f.from !== undefined) add((p) => `created_at >= ${p}::timestamptz`, f.from)
  if (f.to !== undefined) add((p) => `created_at < ${p}::timestamptz`, f.to)
  if (cursor) {
    const at = decodeCursor(cursor)
    params.push(at.createdAt, at.id)
    where.push(
      `(e.created_at, e.id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`,
    )
  }
  params.push(pageSize + 1)
  const rows = await db.query(
    `select ${EVENT_COLUMNS} from moderation_event e
     ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
     order by e.created_at desc, e.id desc
     limit $${params.length}`,
    params,
  )
  const items = rows.slice(0, pageSize).map(fromEventRow)
  const last = items.at(-1)
  return {
    items,
    nextCursor: rows.length > pageSize && last ? encodeCursor(last) : null,
  }
}

/** action.* events that settle a request: after one of these the sweep leaves it alone. */
const SETTLING = ['action.applied', 'action.failed', 'action.parked', 'action.cancelled']

/**
 * action.requested events older than `olderThanMs` that nothing has settled yet (no
 * action.applied / failed / parked / cancelled caused by them): lost jobs for the sweep to
 * enqueue again. Oldest first. `lookbackMs` bounds how far back it looks (default 7 days).
 */
export async function findStaleActionRequests(
  db: Db,
  olderThanMs: number,
  now: Date = new Date(),
  opts: { limit?: number; lookbackMs?: number; includeParked?: boolean } = {},
): Promise<AuditEvent[]> {
  const settling = opts.includeParked ? SETTLING.filter((t) => t !== 'action.parked') : SETTLING
  const before = new Date(now.getTime() - olderThanMs).toISOString()
  const since = new Date(now.getTime() - (opts.lookbackMs ?? 7 * 86_400_000)).toISOString()
  const rows = await db.query(
    `select ${EVENT_COLUMNS} from moderation_event r
     where r.type = 'action.requested'
       and r.created_at < $1::timestamptz and r.created_at >= $2::timestamptz
       and not exists (
         select 1 from moderation_event s where s.caused_by = r.id and s.type = any($3::text[])
       )
     order by r.created_at, r.id
     limit $4`,
    [before, since, settling, opts.limit ?? 100],
  )
  return rows.map(fromEventRow)
}

/** Comments waiting for a person: review open or escalated. */
export async function countOpenReviews(db: Db, opts: { accountId?: string } = {}): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `select count(*)::int as n from subject_status
     where review_state in ('open', 'escalated') and ($1::text is null or account_id = $1::text)`,
    [opts.accountId ?? null],
  )
  return row?.n ?? 0
}
