import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditWriter } from '../../src/audit/audit-writer.js'
import { verifyChain } from '../../src/audit/chain.js'
import type { Db } from '../../src/audit/db.js'
import { eventsForSubject, getStatus } from '../../src/audit/query.js'
import type { BulkEventInput } from '../../src/audit/record.js'
import { getSnapshot } from '../../src/audit/snapshot.js'
import { type BackendName, backendNames, openTestDb, type TestDb } from './backends.js'
import { actionInput, decisionInput, receivedInput, type Subject, subject } from './fixtures.js'

/** What the moderate stage writes for a hidden comment: received, decided, hide requested. */
function hiddenComment(s: Subject): BulkEventInput[] {
  return [
    receivedInput(s),
    { ...decisionInput(s, '1'), causedBy: { index: 0 } },
    {
      ...actionInput(s, 'action.requested', '1'),
      causedBy: { index: 1 },
      dedupeKey: { causeSuffix: '/action.requested' },
    },
  ]
}

/** The same database, counting the transactions opened on it. */
function counting(db: Db): { db: Db; transactions: () => number } {
  let n = 0
  return {
    db: {
      ...db,
      transaction: (fn) => {
        n++
        return db.transaction(fn)
      },
    },
    transactions: () => n,
  }
}

describe.each(backendNames())('AuditWriter on %s', (backend: BackendName) => {
  let t: TestDb
  let db: Db
  beforeAll(async () => {
    t = await openTestDb(backend)
    db = t.db
  })
  afterAll(() => t?.dispose())

  it('records concurrent callers in one transaction, each getting its own events back', async () => {
    const counted = counting(db)
    const writer = new AuditWriter(counted.db)
    const subjects = Array.from({ length: 12 }, () => subject())
    const results = await Promise.all(
      subjects.map((s) =>
        writer.write({
          snapshots: [
            {
              subjectKey: s.subjectKey,
              text: 'words',
              contentHash: 'hash-1',
              capturedAt: new Date().toISOString(),
            },
          ],
          events: hiddenComment(s),
        }),
      ),
    )
    await writer.stop()
    expect(counted.transactions()).toBe(1)
    for (const [i, s] of subjects.entries()) {
      const [received, decided, requested] = (results[i] ?? []).map((r) => r.event)
      expect(results[i]?.map((r) => r.created)).toEqual([true, true, true])
      expect([received, decided, requested].map((e) => e?.subjectKey)).toEqual([
        s.subjectKey,
        s.subjectKey,
        s.subjectKey,
      ])
      expect(decided?.causedBy).toBe(received?.id)
      expect(requested?.causedBy).toBe(decided?.id)
      expect(requested?.dedupeKey).toBe(`${decided?.id}/action.requested`)
      expect(await eventsForSubject(db, s.subjectKey)).toEqual([received, decided, requested])
      expect(await getStatus(db, s.subjectKey)).toMatchObject({ lastDecision: 'act' })
      expect((await getSnapshot(db, s.subjectKey))?.text).toBe('words')
    }
    expect((await verifyChain(db)).ok).toBe(true)
  })

  it('records a dedupe key once when two callers in one batch, or a redelivery, repeat it', async () => {
    const writer = new AuditWriter(db)
    const s = subject()
    const [first, second] = await Promise.all([
      writer.write({ events: hiddenComment(s) }),
      writer.write({ events: hiddenComment(s) }),
    ])
    expect(first?.map((r) => r.created)).toEqual([true, true, true])
    expect(second?.map((r) => r.created)).toEqual([false, false, false])
    expect(second?.map((r) => r.event)).toEqual(first?.map((r) => r.event))
    // later, in a batch of its own: the follow-up's key is found through its stored decision
    const again = await writer.write({ events: hiddenComment(s) })
    expect(again.map((r) => r.created)).toEqual([false, false, false])
    expect(again.map((r) => r.event)).toEqual(first?.map((r) => r.event))
    await writer.stop()
    expect(await eventsForSubject(db, s.subjectKey)).toHaveLength(3)
  })

  it('fails only the caller whose write is bad, and keeps writing afterwards', async () => {
    const writer = new AuditWriter(db)
    const [good, bad, malformed, alsoGood] = [subject(), subject(), subject(), subject()]
    const outcomes = await Promise.allSettled([
      writer.write({ events: hiddenComment(good) }),
      // the database refuses it: its cause does not exist
      writer.write({ events: [actionInput(bad, 'action.applied', '999999999')] }),
      writer.write({ events: [{ ...receivedInput(malformed), type: 'no.such' as 'note' }] }),
      writer.write({ events: hiddenComment(alsoGood) }),
    ])
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ])
    expect(await eventsForSubject(db, bad.subjectKey)).toEqual([])
    expect(await eventsForSubject(db, good.subjectKey)).toHaveLength(3)
    expect(await eventsForSubject(db, alsoGood.subjectKey)).toHaveLength(3)

    const after = subject()
    const recorded = await writer.write({ events: hiddenComment(after) })
    expect(recorded.map((r) => r.created)).toEqual([true, true, true])
    await writer.stop()
    expect((await verifyChain(db)).ok).toBe(true)
  })

  it('writes everything still waiting when stopped, and writes alone after that', async () => {
    // @NOTE a long linger: only stop() can have written these
    const writer = new AuditWriter(db, { lingerMs: 60_000 })
    const subjects = [subject(), subject(), subject()]
    const pending = subjects.map((s) => writer.write({ events: hiddenComment(s) }))
    await writer.stop()
    const results = await Promise.all(pending)
    expect(results.flat().every((r) => r.created)).toBe(true)
    for (const s of subjects) expect(await eventsForSubject(db, s.subjectKey)).toHaveLength(3)

    const late = subject()
    const recorded = await writer.write({ events: hiddenComment(late) })
    expect(recorded.map((r) => r.created)).toEqual([true, true, true])
  })

  it('splits a queue bigger than maxEvents into several transactions', async () => {
    const counted = counting(db)
    const writer = new AuditWriter(counted.db, { maxEvents: 6 })
    const subjects = Array.from({ length: 6 }, () => subject())
    await Promise.all(subjects.map((s) => writer.write({ events: hiddenComment(s) })))
    await writer.stop()
    expect(counted.transactions()).toBe(3)
    for (const s of subjects) expect(await eventsForSubject(db, s.subjectKey)).toHaveLength(3)
  })
})
