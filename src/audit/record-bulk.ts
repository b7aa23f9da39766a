/**
 * Appends many events in a constant number of round trips: lock the chain head and read what
 * already exists (one statement), then seal every new event in TypeScript and insert them all,
 * with their folded statuses, in one more statement. The outcome is exactly that of calling
 * recordEvent once per input, in order.
 */
import { AppError } from '../errors.js'
import { eventHash } from './canonical.js'
import { type ChainHead, enterChainGate, heldChainHead, holdChainHead } from './chain.js'
import { type Db, scopeOf, type TxScope, withTransaction } from './db.js'
import type { AuditEvent, AuditEventInput, SubjectStatus } from './events.js'
import { parseEventInput, type UnsealedEvent } from './input.js'
import { EVENT_COLUMNS, fromEventRow, fromStatusRow, STATUS_COLUMNS } from './rows.js'
import { foldsIntoStatus, nextStatus } from './status.js'

export type Recorded = { event: AuditEvent; created: boolean }

/** The event recorded (or found as a duplicate) for an earlier input of the same call. */
export type EventRef = { index: number }

/**
 * A dedupe key made from the id of the event's cause once that is known: `${cause id}${suffix}`.
 * Only with `causedBy: { index }` naming an input whose own dedupe key is a plain string, so a
 * follow-up and the decision it follows can be recorded in one call, even on a redelivery where
 * the decision already exists.
 */
export type CauseKey = { causeSuffix: string }

export type BulkEventInput = Omit<AuditEventInput, 'causedBy' | 'dedupeKey'> & {
  causedBy?: string | EventRef | null
  dedupeKey: string | CauseKey
}

type Parsed = { event: UnsealedEvent; ref: EventRef | null; causeSuffix: string | null }

/** Inputs validated and normalised, ready for appendPrepared (opaque to callers). */
export type PreparedEvents = { readonly parsed: readonly Parsed[] }

/**
 * Records `inputs` in order inside one transaction (the caller's, or its own) and returns one
 * Recorded per input, in the same order. A dedupe key already stored, or used by an earlier
 * input of this call, yields that first event with `created: false`.
 */
export async function recordEvents(db: Db, inputs: BulkEventInput[]): Promise<Recorded[]> {
  return appendPrepared(db, prepareEvents(inputs))
}

/** Validates inputs now (throwing AppError 'message_invalid'), so they can be appended later. */
export function prepareEvents(inputs: BulkEventInput[], now = new Date()): PreparedEvents {
  return { parsed: inputs.map((input, i) => parseBulkInput(input, i, inputs, now)) }
}

/** Prepared inputs of several callers as one, each caller's `{ index }` refs moved along. */
export function concatPrepared(list: PreparedEvents[]): {
  prepared: PreparedEvents
  offsets: number[]
} {
  const parsed: Parsed[] = []
  const offsets: number[] = []
  for (const one of list) {
    const offset = parsed.length
    offsets.push(offset)
    for (const p of one.parsed) {
      parsed.push(p.ref ? { ...p, ref: { index: p.ref.index + offset } } : p)
    }
  }
  return { prepared: { parsed }, offsets }
}

/** recordEvents for inputs already prepared. */
export async function appendPrepared(db: Db, prepared: PreparedEvents): Promise<Recorded[]> {
  const parsed = prepared.parsed
  if (parsed.length === 0) return []
  return withTransaction(db, (tx) => {
    const scope = scopeOf(tx) as TxScope
    return oneAtATime(scope, () => appendAll(tx, scope, parsed))
  })
}

function parseBulkInput(
  input: BulkEventInput,
  i: number,
  all: BulkEventInput[],
  now: Date,
): Parsed {
  const { causedBy, dedupeKey } = input
  const causeSuffix = typeof dedupeKey === 'string' ? null : dedupeKey.causeSuffix
  // @NOTE a placeholder for validation; the real key is made once the cause's id is known
  const plain = { ...input, dedupeKey: causeSuffix === null ? dedupeKey : 'cause-key' }
  if (causedBy === null || causedBy === undefined || typeof causedBy === 'string') {
    if (causeSuffix !== null) throw invalidInput(i, 'a causeSuffix dedupe key needs causedBy.index')
    return { event: parseEventInput(plain as AuditEventInput, now), ref: null, causeSuffix }
  }
  const index = causedBy.index
  if (!Number.isInteger(index) || index < 0 || index >= i) {
    throw invalidInput(i, `causedBy.index must name an earlier input (got ${index})`)
  }
  if (causeSuffix !== null && (causeSuffix === '' || typeof all[index]?.dedupeKey !== 'string')) {
    throw invalidInput(i, 'a causeSuffix dedupe key needs a suffix and a cause with a plain key')
  }
  return {
    event: parseEventInput({ ...(plain as AuditEventInput), causedBy: null }, now),
    ref: { index },
    causeSuffix,
  }
}

function invalidInput(i: number, why: string): AppError {
  return new AppError('message_invalid', `invalid audit event ${i}: ${why}`)
}

async function appendAll(tx: Db, scope: TxScope, parsed: readonly Parsed[]): Promise<Recorded[]> {
  const keys = unique(parsed.filter((p) => p.causeSuffix === null).map((p) => p.event.dedupeKey))
  const subjects = unique(
    parsed.filter((p) => foldsIntoStatus(p.event)).map((p) => p.event.subjectKey),
  )
  let head = heldChainHead(scope)
  let known: Known
  if (head === undefined) {
    await enterChainGate(scope)
    const opened = await openChain(tx, keys, subjects)
    head = opened.head
    known = opened.known ?? (await readKnown(tx, keys, subjects))
  } else {
    known = await readKnown(tx, keys, subjects)
  }
  // @NOTE a cause key can only already exist when its cause did: one more read, for redeliveries
  const causeKeys = unique(
    parsed.flatMap((p) => {
      const cause = p.causeSuffix !== null && p.ref ? parsed[p.ref.index] : undefined
      const stored = cause ? known.events.get(cause.event.dedupeKey) : undefined
      return stored ? [`${stored.id}${p.causeSuffix}`] : []
    }),
  ).filter((k) => !known.events.has(k))
  if (causeKeys.length > 0) {
    for (const [k, e] of (await readKnown(tx, causeKeys, [])).events) known.events.set(k, e)
  }

  const results: Recorded[] = []
  const fresh: AuditEvent[] = []
  const touched = new Set<string>()
  let tip: ChainHead = head
  for (const { event: parsedEvent, ref, causeSuffix } of parsed) {
    const cause = ref ? (results[ref.index] as Recorded).event : null
    const e =
      causeSuffix === null
        ? parsedEvent
        : { ...parsedEvent, dedupeKey: `${(cause as AuditEvent).id}${causeSuffix}` }
    const existing = known.events.get(e.dedupeKey)
    if (existing) {
      results.push({ event: existing, created: false })
      continue
    }
    const causedBy = cause ? cause.id : e.causedBy
    const unhashed = {
      ...e,
      causedBy,
      id: String(BigInt(tip.lastEventId) + 1n),
      prevHash: tip.lastHash,
    }
    const event: AuditEvent = { ...unhashed, hash: eventHash(tip.lastHash, unhashed) }
    tip = { lastEventId: event.id, lastHash: event.hash }
    known.events.set(e.dedupeKey, event)
    if (foldsIntoStatus(event)) {
      known.statuses.set(
        event.subjectKey,
        nextStatus(known.statuses.get(event.subjectKey) ?? null, event),
      )
      touched.add(event.subjectKey)
    }
    fresh.push(event)
    results.push({ event, created: true })
  }
  if (fresh.length > 0) {
    const statuses = [...touched].map((k) => known.statuses.get(k) as SubjectStatus)
    await tx.query(INSERT_ALL, [
      JSON.stringify(fresh.map(eventRecord)),
      JSON.stringify(statuses.map(statusRecord)),
    ])
  }
  holdChainHead(scope, tip)
  return results
}

/** What is already stored for this call's dedupe keys and subjects. */
type Known = { events: Map<string, AuditEvent>; statuses: Map<string, SubjectStatus | null> }

type KnownRow = {
  existing: Record<string, unknown>[] | null
  statuses: Record<string, unknown>[] | null
}

/**
 * One round trip: lock the chain head and read the stored events and statuses.
 * @NOTE in READ COMMITTED the subqueries see the snapshot taken when the statement started,
 * while FOR UPDATE returns the head as it is once the lock is granted. Every event and status
 * write happens under this lock, so when both heads agree nobody wrote in between and what was
 * read is current; when they differ (we waited for another writer) `known` is undefined and the
 * caller reads again, now under the lock.
 */
async function openChain(
  tx: Db,
  keys: string[],
  subjects: string[],
): Promise<{ head: ChainHead; known: Known | undefined }> {
  const [row] = await tx.query<
    KnownRow & { last_event_id: string; last_hash: string; seen_event_id: string }
  >(OPEN_CHAIN, [keys, subjects])
  if (!row) throw new Error('audit_chain_head is missing: has migrate() run?')
  const head = { lastEventId: row.last_event_id, lastHash: row.last_hash }
  return { head, known: row.seen_event_id === row.last_event_id ? knownOf(row) : undefined }
}

async function readKnown(tx: Db, keys: string[], subjects: string[]): Promise<Known> {
  const [row] = await tx.query<KnownRow>(`select ${READ_KNOWN}`, [keys, subjects])
  return knownOf(row ?? { existing: null, statuses: null })
}

function knownOf(row: KnownRow): Known {
  const events = new Map<string, AuditEvent>()
  for (const r of row.existing ?? []) {
    const event = fromEventRow(r)
    events.set(event.dedupeKey, event)
  }
  const statuses = new Map<string, SubjectStatus | null>()
  for (const r of row.statuses ?? []) {
    const status = fromStatusRow(r)
    statuses.set(status.subjectKey, status)
  }
  return { events, statuses }
}

/** An event as one element of the jsonb array INSERT_ALL expands with jsonb_to_recordset. */
function eventRecord(e: AuditEvent): Record<string, unknown> {
  return {
    id: e.id,
    type: e.type,
    subject_key: e.subjectKey,
    platform: e.platform,
    comment_id: e.commentId,
    post_id: e.postId,
    author_id: e.authorId,
    account_id: e.accountId,
    actor_kind: e.actor.kind,
    actor_id: e.actor.id,
    tool: e.tool,
    rule_ids: e.ruleIds,
    categories: e.categories,
    reason: e.reason,
    meta: e.meta,
    caused_by: e.causedBy,
    dedupe_key: e.dedupeKey,
    created_at: e.createdAt,
    prev_hash: e.prevHash,
    hash: e.hash,
  }
}

function statusRecord(s: SubjectStatus): Record<string, unknown> {
  return {
    subject_key: s.subjectKey,
    platform: s.platform,
    comment_id: s.commentId,
    post_id: s.postId,
    account_id: s.accountId,
    author_id: s.authorId,
    visibility: s.visibility,
    review_state: s.reviewState,
    last_decision: s.lastDecision,
    last_action: s.lastAction,
    categories: s.categories,
    content_hash: s.contentHash,
    last_event_id: s.lastEventId,
    last_reviewed_by: s.lastReviewedBy,
    last_reviewed_at: s.lastReviewedAt,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}

const queues = new WeakMap<TxScope, Promise<unknown>>()

// @NOTE two calls racing on one transaction handle (Promise.all) would both extend the same
// held head; appends within one transaction are therefore queued.
function oneAtATime<T>(scope: TxScope, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(scope) ?? Promise.resolve()).then(fn, fn)
  queues.set(
    scope,
    run.catch(() => undefined),
  )
  return run
}

const READ_KNOWN = `(select json_agg(e) from (
      select ${EVENT_COLUMNS} from moderation_event where dedupe_key = any($1::text[])
    ) e) as existing,
    (select json_agg(s) from (
      select ${STATUS_COLUMNS} from subject_status where subject_key = any($2::text[])
    ) s) as statuses`

const OPEN_CHAIN = `with head as materialized (
    select last_event_id, last_hash from audit_chain_head where id = 1 for update
  )
  select head.last_event_id::text as last_event_id, head.last_hash,
    (select h.last_event_id::text from audit_chain_head h where h.id = 1) as seen_event_id,
    ${READ_KNOWN}
  from head`

// @NOTE one jsonb parameter per table rather than unnest of arrays: rule_ids and categories are
// arrays per row, which unnest would flatten; jsonb_to_recordset reads them as text[] on both
// Postgres and PGlite. The chain trigger (0004) checks all the rows of the statement at once.
const INSERT_ALL = `with ins as (
    insert into moderation_event (id, type, subject_key, platform, comment_id, post_id, author_id,
      account_id, actor_kind, actor_id, tool, rule_ids, categories, reason, meta, caused_by,
      dedupe_key, created_at, prev_hash, hash)
    select id, type, subject_key, platform, comment_id, post_id, author_id, account_id,
      actor_kind, actor_id, tool, rule_ids, categories, reason, meta, caused_by, dedupe_key,
      created_at, prev_hash, hash
    from jsonb_to_recordset($1::jsonb) as r(id bigint, type text, subject_key text,
      platform text, comment_id text, post_id text, author_id text, account_id text,
      actor_kind text, actor_id text, tool jsonb, rule_ids text[], categories text[],
      reason text, meta jsonb, caused_by bigint, dedupe_key text, created_at timestamptz,
      prev_hash text, hash text)
    order by r.id
    returning 1
  ),
  st as (
    insert into subject_status (subject_key, platform, comment_id, post_id, account_id, author_id,
      visibility, review_state, last_decision, last_action, categories, content_hash,
      last_event_id, last_reviewed_by, last_reviewed_at, created_at, updated_at)
    select subject_key, platform, comment_id, post_id, account_id, author_id, visibility,
      review_state, last_decision, last_action, categories, content_hash, last_event_id,
      last_reviewed_by, last_reviewed_at, created_at, updated_at
    from jsonb_to_recordset($2::jsonb) as r(subject_key text, platform text, comment_id text,
      post_id text, account_id text, author_id text, visibility text, review_state text,
      last_decision text, last_action text, categories text[], content_hash text,
      last_event_id bigint, last_reviewed_by text, last_reviewed_at timestamptz,
      created_at timestamptz, updated_at timestamptz)
    on conflict (subject_key) do update set
      platform = excluded.platform, comment_id = excluded.comment_id,
      post_id = excluded.post_id, account_id = excluded.account_id,
      author_id = excluded.author_id, visibility = excluded.visibility,
      review_state = excluded.review_state, last_decision = excluded.last_decision,
      last_action = excluded.last_action, categories = excluded.categories,
      content_hash = excluded.content_hash, last_event_id = excluded.last_event_id,
      last_reviewed_by = excluded.last_reviewed_by, last_reviewed_at = excluded.last_reviewed_at,
      updated_at = excluded.updated_at
    returning 1
  )
  select (select count(*) from ins)::int as events, (select count(*) from st)::int as statuses`
