/**
 * The tamper-evidence chain. Each event stores prev_hash and hash = sha256(prev_hash +
 * canonical JSON of its fields) (canonical.ts).
 *
 * @NOTE the hash is computed here in TypeScript, not in SQL: the canonical form is then ours
 * (jsonb's text output is a Postgres detail), PGlite and Postgres need no extension, and an
 * exported trail can be checked by anyone with sha256 and no database. The database still
 * guards the links: a trigger refuses an event that does not extend audit_chain_head.
 */
import { eventHash, GENESIS_HASH } from './canonical.js'
import type { Db, TxScope } from './db.js'
import { EVENT_COLUMNS, fromEventRow } from './rows.js'

export type ChainHead = { lastEventId: string; lastHash: string }

const HEAD_KEY = 'audit.chainHead'
const GATE_KEY = 'audit.chainGate'
// @NOTE not in scope.cache: a savepoint rollback clears that, but the turn lasts until the end
const inGate = new WeakSet<TxScope>()

/**
 * The head this transaction holds locked (record.ts takes the lock once per transaction, then
 * extends the head it last wrote). @NOTE the lock is what keeps the chain linear under
 * concurrent writers: appends are serialised from a transaction's first event to its commit.
 */
export function heldChainHead(scope: TxScope): ChainHead | undefined {
  return scope.cache.get(HEAD_KEY) as ChainHead | undefined
}

export function holdChainHead(scope: TxScope, head: ChainHead): void {
  scope.cache.set(HEAD_KEY, head)
}

/**
 * Waits for this process's turn at the chain, until the transaction ends. @NOTE the database
 * lock alone is correct; queueing here first means Postgres sees one waiter per process instead
 * of one per connection, each waking on a stale snapshot. Measured with 8 writers in one process
 * (test/audit/bench-record.ts): about 95 comments/s without the gate, 170-270 with it.
 */
export async function enterChainGate(scope: TxScope): Promise<void> {
  if (inGate.has(scope)) return
  const gate = (scope.shared.get(GATE_KEY) as { tail: Promise<void> } | undefined) ?? {
    tail: Promise.resolve(),
  }
  scope.shared.set(GATE_KEY, gate)
  let leave = () => {}
  const mine = new Promise<void>((resolve) => {
    leave = resolve
  })
  const before = gate.tail
  gate.tail = before.then(() => mine)
  scope.onEnd(leave)
  inGate.add(scope)
  await before
}

export type ChainBreak = {
  /** the first event that does not verify (for 'head': the event the head names) */
  id: string
  expected: string
  found: string
  /** hash: the event's fields were changed; link: its prev_hash does not match the event
   *  before it (an event was removed or re-linked); head: the trail ends before the head */
  reason: 'hash' | 'link' | 'head'
}

export type ChainVerification = {
  ok: boolean
  checked: number
  head: ChainHead
  firstBroken?: ChainBreak
}

/** Walks every event in id order, recomputing each hash and each link; stops at the first break. */
export async function verifyChain(
  db: Db,
  opts: { pageSize?: number } = {},
): Promise<ChainVerification> {
  const pageSize = opts.pageSize ?? 1000
  const [headRow] = await db.query<{ last_event_id: string; last_hash: string }>(
    'select last_event_id::text as last_event_id, last_hash from audit_chain_head where id = 1',
  )
  const head = { lastEventId: headRow?.last_event_id ?? '0', lastHash: headRow?.last_hash ?? '' }
  let previous = GENESIS_HASH
  let lastId = '0'
  let checked = 0
  for (;;) {
    const rows = await db.query(
      `select ${EVENT_COLUMNS} from moderation_event e where e.id > $1::bigint order by e.id limit $2`,
      [lastId, pageSize],
    )
    for (const row of rows) {
      const event = fromEventRow(row)
      if (event.prevHash !== previous) {
        return broken(checked, head, {
          id: event.id,
          expected: previous,
          found: event.prevHash,
          reason: 'link',
        })
      }
      const { hash, prevHash, ...fields } = event
      const expected = eventHash(prevHash, fields)
      if (expected !== hash) {
        return broken(checked, head, { id: event.id, expected, found: hash, reason: 'hash' })
      }
      previous = hash
      lastId = event.id
      checked++
    }
    if (rows.length < pageSize) break
  }
  if (lastId !== head.lastEventId || previous !== head.lastHash) {
    return broken(checked, head, {
      id: head.lastEventId,
      expected: head.lastHash,
      found: lastId === head.lastEventId ? previous : `trail ends at event ${lastId}`,
      reason: 'head',
    })
  }
  return { ok: true, checked, head }
}

function broken(checked: number, head: ChainHead, firstBroken: ChainBreak): ChainVerification {
  return { ok: false, checked, head, firstBroken }
}
