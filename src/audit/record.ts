import { eventHash } from './canonical.js'
import { type ChainHead, enterChainGate, heldChainHead, holdChainHead } from './chain.js'
import type { Db, TxScope } from './db.js'
import { scopeOf, withTransaction } from './db.js'
import type { AuditEvent, AuditEventInput, SubjectStatus } from './events.js'
import { parseEventInput, type UnsealedEvent } from './input.js'
import {
  EVENT_COLUMNS,
  eventParams,
  fromEventRow,
  fromStatusRow,
  STATUS_COLUMNS,
  statusParams,
} from './rows.js'
import { foldsIntoStatus, nextStatus } from './status.js'

export type Recorded = { event: AuditEvent; created: boolean }

/**
 * Appends one event, links it into the hash chain and folds it into its comment's status, all
 * in one transaction: the caller's when `db` is a transaction handle, else its own. A repeated
 * dedupeKey returns the first event unchanged with `created: false`, so retried jobs are harmless.
 */
export async function recordEvent(db: Db, input: AuditEventInput): Promise<Recorded> {
  const unsealed = parseEventInput(input)
  return withTransaction(db, (tx) => {
    const scope = scopeOf(tx) as TxScope
    return oneAtATime(scope, () => append(tx, scope, unsealed))
  })
}

async function append(tx: Db, scope: TxScope, e: UnsealedEvent): Promise<Recorded> {
  let head = heldChainHead(scope)
  let status: SubjectStatus | null = null
  if (head === undefined) {
    await enterChainGate(scope)
    const opened = await openChain(tx, e)
    head = opened.head
    holdChainHead(scope, head)
    if (opened.status !== undefined) cacheStatus(scope, e.subjectKey, opened.status)
    if (opened.existing) return { event: opened.existing, created: false }
  }
  const unhashed = { ...e, id: String(BigInt(head.lastEventId) + 1n), prevHash: head.lastHash }
  const event: AuditEvent = { ...unhashed, hash: eventHash(head.lastHash, unhashed) }
  if (foldsIntoStatus(event)) status = nextStatus(await loadStatus(tx, scope, e.subjectKey), event)
  const [row] = await tx.query<{ n: number }>(
    status ? INSERT_EVENT_AND_STATUS : INSERT_EVENT,
    status ? [...eventParams(event), ...statusParams(status)] : eventParams(event),
  )
  if (!row || row.n === 0) {
    const [first] = await tx.query(
      `select ${EVENT_COLUMNS} from moderation_event where dedupe_key = $1`,
      [e.dedupeKey],
    )
    if (!first) throw new Error('audit event conflicted on its dedupe key but none was found')
    return { event: fromEventRow(first), created: false }
  }
  holdChainHead(scope, { lastEventId: event.id, lastHash: event.hash })
  if (status) cacheStatus(scope, e.subjectKey, status)
  return { event, created: true }
}

type OpenedChain = {
  head: ChainHead
  /** the first event with this dedupe key, if there is one */
  existing: AuditEvent | null
  /** the subject's status, or undefined when it may be stale and must be read again */
  status: SubjectStatus | null | undefined
}

/**
 * One round trip: lock the chain head and read the dedupe key and the subject's status.
 * @NOTE in READ COMMITTED the subqueries see the snapshot taken when the statement started,
 * while FOR UPDATE returns the head as it is once the lock is granted. Every status write
 * happens under this lock, so when both heads agree nobody wrote in between and the status read
 * here is current; when they differ (we waited for another writer) it is read again.
 */
async function openChain(tx: Db, e: UnsealedEvent): Promise<OpenedChain> {
  const [row] = await tx.query<{
    last_event_id: string
    last_hash: string
    seen_event_id: string
    existing: Record<string, unknown> | null
    status: Record<string, unknown> | null
  }>(OPEN_CHAIN, [e.dedupeKey, e.subjectKey])
  if (!row) throw new Error('audit_chain_head is missing: has migrate() run?')
  const head = { lastEventId: row.last_event_id, lastHash: row.last_hash }
  const fresh = row.seen_event_id === row.last_event_id
  return {
    head,
    existing: row.existing ? fromEventRow(row.existing) : null,
    status: !fresh ? undefined : row.status ? fromStatusRow(row.status) : null,
  }
}

async function loadStatus(
  tx: Db,
  scope: TxScope,
  subjectKey: string,
): Promise<SubjectStatus | null> {
  const key = statusKey(subjectKey)
  if (scope.cache.has(key)) return scope.cache.get(key) as SubjectStatus | null
  const [row] = await tx.query(
    `select ${STATUS_COLUMNS} from subject_status where subject_key = $1`,
    [subjectKey],
  )
  return row ? fromStatusRow(row) : null
}

function cacheStatus(scope: TxScope, subjectKey: string, status: SubjectStatus | null): void {
  scope.cache.set(statusKey(subjectKey), status)
}

function statusKey(subjectKey: string): string {
  return `audit.status.${subjectKey}`
}

const queues = new WeakMap<TxScope, Promise<unknown>>()

// @NOTE two recordEvent calls racing on one transaction handle (Promise.all) would both extend
// the same cached head; appends within one transaction are therefore queued.
function oneAtATime<T>(scope: TxScope, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(scope) ?? Promise.resolve()).then(fn, fn)
  queues.set(
    scope,
    run.catch(() => undefined),
  )
  return run
}

const OPEN_CHAIN = `with head as materialized (
    select last_event_id, last_hash from audit_chain_head where id = 1 for update
  )
  select head.last_event_id::text as last_event_id, head.last_hash,
    (select h.last_event_id::text from audit_chain_head h where h.id = 1) as seen_event_id,
    (select row_to_json(e) from (
      select ${EVENT_COLUMNS} from moderation_event where dedupe_key = $1
    ) e) as existing,
    (select row_to_json(s) from (
      select ${STATUS_COLUMNS} from subject_status where subject_key = $2
    ) s) as status
  from head`

const EVENT_INSERT = `insert into moderation_event (id, type, subject_key, platform, comment_id,
    post_id, author_id, account_id, actor_kind, actor_id, tool, rule_ids, categories, reason, meta,
    caused_by, dedupe_key, created_at, prev_hash, hash)
  values ($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::text[], $13::text[],
    $14, $15::jsonb, $16::bigint, $17, $18::timestamptz, $19, $20)
  on conflict (dedupe_key) do nothing
  returning id`

const INSERT_EVENT = `with ins as (${EVENT_INSERT}) select count(*)::int as n from ins`

const INSERT_EVENT_AND_STATUS = `with ins as (${EVENT_INSERT}),
  st as (
    insert into subject_status (subject_key, platform, comment_id, post_id, account_id, author_id,
      visibility, review_state, last_decision, last_action, categories, content_hash,
      last_event_id, last_reviewed_by, last_reviewed_at, created_at, updated_at)
    select $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31::text[], $32, $33::bigint, $34,
      $35::timestamptz, $36::timestamptz, $37::timestamptz
    from ins
    on conflict (subject_key) do update set
      platform = excluded.platform, comment_id = excluded.comment_id,
      post_id = excluded.post_id, account_id = excluded.account_id,
      author_id = excluded.author_id, visibility = excluded.visibility,
      review_state = excluded.review_state, last_decision = excluded.last_decision,
      last_action = excluded.last_action, categories = excluded.categories,
      content_hash = excluded.content_hash, last_event_id = excluded.last_event_id,
      last_reviewed_by = excluded.last_reviewed_by, last_reviewed_at = excluded.last_reviewed_at,
      updated_at = excluded.updated_at
  )
  select count(*)::int as n from ins`
