/**
 * The decisions view: decision.made (the policy) and review.resolved (a person), filtered and
 * keyset-paged over the store's listEvents. Filters listEvents cannot express (outcome, text,
 * a councillor's several accounts) are applied to each page as it is read.
 */
import { z } from 'zod'
import {
  type AuditEvent,
  type CommentSnapshot,
  type Db,
  type EventFilter,
  getSnapshots,
  listEvents,
  type SubjectStatus,
  statusesFor,
} from '../audit/index.js'
import { AppError } from '../errors.js'
import { canSeeAccount, type Scope } from './access.js'
import { londonDayStart } from './layout.js'

export const OUTCOMES = [
  'allow',
  'act',
  'review',
  'keep',
  'hide',
  'remove',
  'ban',
  'escalate',
] as const
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date like 2026-05-01')
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v)

export const DecisionQuerySchema = z.object({
  account: z.preprocess(blankToUndefined, z.string().optional()),
  category: z.preprocess(blankToUndefined, z.string().optional()),
  outcome: z.preprocess(blankToUndefined, z.enum(OUTCOMES).optional()),
  by: z.preprocess(blankToUndefined, z.enum(['policy', 'human']).optional()),
  /** a moderator: their Slack user id (U…) or the full actor id slack/U…; chosen by name */
  admin: z.preprocess(blankToUndefined, z.string().max(100).optional()),
  from: z.preprocess(blankToUndefined, day.optional()),
  to: z.preprocess(blankToUndefined, day.optional()),
  /** words in the comment text (admins and auditors only) */
  q: z.preprocess(blankToUndefined, z.string().max(200).optional()),
})
export type DecisionQuery = z.infer<typeof DecisionQuerySchema>

export function parseDecisionQuery(raw: Record<string, string>): DecisionQuery {
  const parsed = DecisionQuerySchema.safeParse(raw)
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new AppError('message_invalid', `invalid filter (${fields.join('; ')})`)
  }
  return parsed.data
}

export function outcomeOf(e: AuditEvent): string {
  if (e.type === 'review.escalated') return 'escalate'
  const v = e.type === 'review.resolved' ? e.meta.verdict : e.meta.decision
  return typeof v === 'string' ? v : ''
}

/** The events the decisions view lists: the policy's, and people's (escalations included). */
const HUMAN_TYPES = ['review.resolved', 'review.escalated'] as const

function storeFilter(q: DecisionQuery): EventFilter {
  const f: EventFilter = {
    type:
      q.by === 'policy'
        ? 'decision.made'
        : q.by === 'human'
          ? [...HUMAN_TYPES]
          : ['decision.made', ...HUMAN_TYPES],
  }
  if (q.account) f.accountId = q.account
  // @NOTE a person's decision carries no categories of its own: it is about the comment the
  // policy flagged, so the category filter for people's decisions reads the comment's (below)
  if (q.category && q.by === 'policy') f.category = q.category
  if (q.admin) {
    f.actorKind = 'moderator'
    f.actorId = q.admin.startsWith('slack/') ? q.admin : `slack/${q.admin}`
  }
  // @NOTE UK days, as every time on these pages is UK time
  if (q.from) f.from = londonDayStart(q.from)
  if (q.to)
    f.to = londonDayStart(
      new Date(Date.parse(`${q.to}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
    )
  return f
}

/**
 * A cursor just after `e` in listEvents' (created_at desc, id desc) order. @NOTE the store keeps
 * its cursor opaque and does not export encodeCursor; this is its documented shape, and
 * test/web/decision-query.test.ts fails if the two ever drift apart.
 */
export function cursorAfter(e: AuditEvent): string {
  return Buffer.from(JSON.stringify([e.createdAt, e.id])).toString('base64url')
}

export type DecisionRow = {
  event: AuditEvent
  snapshot: CommentSnapshot | null
  /** the comment's state now (visible, hidden, deleted; waiting for review) */
  status: SubjectStatus | null
}

export type ScanOptions = {
  cursor?: string | null
  /** events read from the store per round trip */
  batch?: number
  /** stop after reading this many events (a page of a rare filter must not read everything) */
  maxScan?: number
  withText: boolean
}

/** Yields matching rows in order, each with the cursor that continues after it. */
export async function* scanDecisions(
  db: Db,
  q: DecisionQuery,
  scope: Scope,
  opts: ScanOptions,
): AsyncGenerator<{ row: DecisionRow; cursor: string } | { paused: string }> {
  if (q.account && !canSeeAccount(scope, q.account)) return
  const filter = storeFilter(q)
  const needle = q.q?.toLowerCase()
  let cursor = opts.cursor ?? null
  let scanned = 0
  for (;;) {
    const page = await listEvents(db, filter, cursor, opts.batch ?? 200)
    const visible = page.items.filter((e) => canSeeAccount(scope, e.accountId))
    const statuses = await statusesFor(db, [...new Set(visible.map((e) => e.subjectKey))])
    const snaps =
      opts.withText || needle
        ? await getSnapshots(db, [...new Set(visible.map((e) => e.subjectKey))])
        : new Map<string, CommentSnapshot>()
    for (const e of page.items) {
      scanned++
      const snapshot = snaps.get(e.subjectKey) ?? null
      const status = statuses.get(e.subjectKey) ?? null
      const categories =
        e.type === 'decision.made' ? e.categories : [...e.categories, ...(status?.categories ?? [])]
      const matches =
        canSeeAccount(scope, e.accountId) &&
        (!q.category || categories.includes(q.category)) &&
        (!q.outcome || outcomeOf(e) === q.outcome) &&
        (!needle || (snapshot?.text ?? '').toLowerCase().includes(needle))
      if (matches) {
        yield {
          row: { event: e, snapshot: opts.withText ? snapshot : null, status },
          cursor: cursorAfter(e),
        }
      }
      if (opts.maxScan && scanned >= opts.maxScan && (page.nextCursor || e !== page.items.at(-1))) {
        yield { paused: cursorAfter(e) }
        return
      }
    }
    if (!page.nextCursor) return
    cursor = page.nextCursor
  }
}

export type DecisionPage = {
  rows: DecisionRow[]
  /** continue from here; null when there is nothing after */
  nextCursor: string | null
  /** the page stopped early because maxScan events were read */
  paused: boolean
}

export async function decisionPage(
  db: Db,
  q: DecisionQuery,
  scope: Scope,
  opts: ScanOptions & { limit: number },
): Promise<DecisionPage> {
  const rows: DecisionRow[] = []
  let last: string | null = null
  for await (const item of scanDecisions(db, q, scope, opts)) {
    if ('paused' in item) return { rows, nextCursor: item.paused, paused: true }
    if (rows.length === opts.limit) return { rows, nextCursor: last, paused: false }
    rows.push(item.row)
    last = item.cursor
  }
  return { rows, nextCursor: null, paused: false }
}
