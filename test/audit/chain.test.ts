import { afterEach, describe, expect, it } from 'vitest'
import { eventHash } from '../../src/audit/canonical.js'
import { verifyChain } from '../../src/audit/chain.js'
import type { Db } from '../../src/audit/db.js'
import type { AuditEvent, AuditEventInput, SubjectStatus } from '../../src/audit/events.js'
import { eventsForSubject, getStatus } from '../../src/audit/query.js'
import { recordEvent } from '../../src/audit/record.js'
import { nextStatus } from '../../src/audit/status.js'
import { asSuperuser, type BackendName, backendNames, openTestDb, type TestDb } from './backends.js'
import { actionInput, decisionInput, receivedInput, subject } from './fixtures.js'

/** Records one comment's four events in one transaction, as the pipeline does. */
async function hiddenComment(db: Db): Promise<AuditEvent[]> {
  const s = subject()
  return db.transaction(async (tx) => {
    const received = await recordEvent(tx, receivedInput(s))
    const decided = await recordEvent(tx, decisionInput(s, received.event.id))
    const requested = await recordEvent(tx, actionInput(s, 'action.requested', decided.event.id))
    const applied = await recordEvent(tx, actionInput(s, 'action.applied', requested.event.id))
    return [received, decided, requested, applied].map((r) => r.event)
  })
}

describe.each(backendNames())('audit trail on %s', (backend: BackendName) => {
  let t: TestDb | undefined
  afterEach(async () => {
    await t?.dispose()
    t = undefined
  })

  it('refuses UPDATE, DELETE and TRUNCATE of events and keeps them intact', async () => {
    t = await openTestDb(backend)
    const [first] = await hiddenComment(t.db)
    await expect(t.db.query(`update moderation_event set reason = 'edited'`)).rejects.toThrow(
      /append-only: UPDATE refused/,
    )
    await expect(
      t.db.query('delete from moderation_event where id = $1', [first?.id]),
    ).rejects.toThrow(/append-only: DELETE refused/)
    await expect(t.db.query('truncate moderation_event cascade')).rejects.toThrow(
      /append-only: TRUNCATE refused/,
    )
    expect(await eventsForSubject(t.db, first?.subjectKey ?? '')).toHaveLength(4)
    expect((await verifyChain(t.db)).ok).toBe(true)
  })

  it('refuses to move the chain head by hand or to append an event off the chain', async () => {
    t = await openTestDb(backend)
    const events = await hiddenComment(t.db)
    const last = events.at(-1) as AuditEvent
    await expect(t.db.query(`update audit_chain_head set last_hash = 'forged'`)).rejects.toThrow(
      /audit_chain_head moves only when an event is appended/,
    )
    await expect(t.db.query('delete from audit_chain_head')).rejects.toThrow(/DELETE refused/)
    const forged = {
      ...last,
      id: String(Number(last.id) + 1),
      dedupeKey: 'forged',
      prevHash: 'f'.repeat(64),
    }
    await expect(
      t.db.query(
        `insert into moderation_event (id, type, subject_key, platform, comment_id, account_id,
           actor_kind, actor_id, dedupe_key, created_at, prev_hash, hash)
         values ($1::bigint, 'note', $2, 'facebook', 'c', 'a', 'system', 'x', 'forged', now(), $3, $4)`,
        [forged.id, forged.subjectKey, forged.prevHash, eventHash(forged.prevHash, forged)],
      ),
    ).rejects.toThrow(/does not extend the audit chain/)
    expect((await verifyChain(t.db)).ok).toBe(true)
  })

  it('verifies every event and matches the head when nobody has tampered', async () => {
    t = await openTestDb(backend)
    const events = [...(await hiddenComment(t.db)), ...(await hiddenComment(t.db))]
    const result = await verifyChain(t.db, { pageSize: 3 })
    expect(result).toEqual({
      ok: true,
      checked: 8,
      head: { lastEventId: events.at(-1)?.id, lastHash: events.at(-1)?.hash },
    })
    // ids are gapless and each event links to the one before
    expect(events.map((e) => Number(e.id))).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    events.slice(1).forEach((e, i) => {
      expect(e.prevHash).toBe(events[i]?.hash)
    })
  })

  it('names the tampered event when a superuser edits an event in place', async () => {
    t = await openTestDb(backend)
    const events = [...(await hiddenComment(t.db)), ...(await hiddenComment(t.db))]
    const victim = events[5] as AuditEvent
    await asSuperuser(
      t.db,
      `update moderation_event set meta = jsonb_set(meta, '{action}', '"unhide"') where id = $1::bigint`,
      [victim.id],
    )
    const result = await verifyChain(t.db)
    expect(result.ok).toBe(false)
    expect(result.checked).toBe(5)
    expect(result.firstBroken).toMatchObject({ id: victim.id, reason: 'hash', found: victim.hash })
    expect(result.firstBroken?.expected).not.toBe(victim.hash)
  })

  it('names the event after the gap when a superuser deletes one from the middle', async () => {
    t = await openTestDb(backend)
    const events = await hiddenComment(t.db)
    await asSuperuser(t.db, 'delete from moderation_event where id = $1::bigint', [events[1]?.id])
    const result = await verifyChain(t.db)
    expect(result.firstBroken).toEqual({
      id: events[2]?.id,
      reason: 'link',
      expected: events[0]?.hash,
      found: events[2]?.prevHash,
    })
  })

  it('reports the head when the newest events were removed', async () => {
    t = await openTestDb(backend)
    const events = await hiddenComment(t.db)
    await asSuperuser(t.db, 'delete from moderation_event where id >= $1::bigint', [events[2]?.id])
    const result = await verifyChain(t.db)
    expect(result).toMatchObject({ ok: false, checked: 2 })
    expect(result.firstBroken).toMatchObject({
      id: events[3]?.id,
      reason: 'head',
      expected: events[3]?.hash,
    })
  })

  it('keeps one valid gapless chain when 50 writers append at once', async () => {
    t = await openTestDb(backend, { poolSize: 10 })
    const db = t.db
    const singles = Array.from({ length: 50 }, () => recordEvent(db, receivedInput(subject())))
    const batches = Array.from({ length: 10 }, () => hiddenComment(db))
    const [recorded] = await Promise.all([Promise.all(singles), Promise.all(batches)])
    expect(recorded.every((r) => r.created)).toBe(true)
    const result = await verifyChain(db)
    expect(result).toMatchObject({ ok: true, checked: 90, head: { lastEventId: '90' } })
  })

  it('folds every event into the status when concurrent writers target one comment', async () => {
    t = await openTestDb(backend, { poolSize: 10 })
    const db = t.db
    const s = subject()
    const received = await recordEvent(db, receivedInput(s))
    const inputs: AuditEventInput[] = Array.from({ length: 30 }, (_, i) => {
      const kinds: AuditEventInput[] = [
        { ...s, type: 'review.requested', actor: { kind: 'policy', id: 'p' }, dedupeKey: `r${i}` },
        { ...actionInput(s, 'action.applied', received.event.id), dedupeKey: `a${i}` },
        { ...decisionInput(s, received.event.id, 'act', [`c${i}`]), dedupeKey: `d${i}` },
        {
          ...s,
          type: 'review.resolved',
          actor: { kind: 'moderator', id: `U${i}` },
          dedupeKey: `x${i}`,
        },
      ]
      return kinds[i % kinds.length] as AuditEventInput
    })
    // each writer keeps its transaction open a moment, so the others queue on the chain lock
    await Promise.all(
      inputs.map((input) =>
        db.transaction(async (tx) => {
          await recordEvent(tx, input)
          await new Promise((resolve) => setTimeout(resolve, 5))
        }),
      ),
    )
    const events = await eventsForSubject(db, s.subjectKey)
    expect(events).toHaveLength(31)
    const replayed = events.reduce<SubjectStatus | null>(nextStatus, null)
    expect(await getStatus(db, s.subjectKey)).toEqual(replayed)
    expect((await verifyChain(db)).ok).toBe(true)
  })
})
