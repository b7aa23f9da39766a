import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyChain } from '../../src/audit/chain.js'
import type { Db } from '../../src/audit/db.js'
import type { AuditEvent } from '../../src/audit/events.js'
import { eventsForSubject, getStatus } from '../../src/audit/query.js'
import { type BulkEventInput, recordEvent, recordEvents } from '../../src/audit/record.js'
import { getSnapshot, saveSnapshot, saveSnapshots } from '../../src/audit/snapshot.js'
import { nextStatus } from '../../src/audit/status.js'
import { type BackendName, backendNames, openTestDb, type TestDb } from './backends.js'
import { actionInput, decisionInput, receivedInput, type Subject, subject } from './fixtures.js'

const AT = '2026-03-01T10:00:00.000Z'

/** A comment received, decided and sent to review, with its decision named by index. */
function reviewedComment(s: Subject, at: number): BulkEventInput[] {
  return [
    { ...receivedInput(s), at: AT },
    { ...decisionInput(s, '1', 'review'), causedBy: { index: at }, at: AT },
    {
      ...actionInput(s, 'action.requested', '1'),
      type: 'review.requested',
      meta: {},
      causedBy: { index: at + 1 },
      dedupeKey: `${s.subjectKey}/review.requested`,
      at: AT,
    },
  ]
}

async function replayed(db: Db, subjectKey: string) {
  const events = await eventsForSubject(db, subjectKey)
  return events.reduce<ReturnType<typeof nextStatus> | null>(nextStatus, null)
}

/** An event without what depends on where it sits in the chain. */
function unchained({ id, prevHash, hash, causedBy, ...rest }: AuditEvent) {
  return rest
}

describe.each(backendNames())('recordEvents on %s', (backend: BackendName) => {
  let t: TestDb
  let db: Db
  beforeAll(async () => {
    t = await openTestDb(backend)
    db = t.db
  })
  afterAll(() => t?.dispose())

  it('stores what recording one by one stores when a batch of comments is recorded at once', async () => {
    const [a, b] = [subject(), subject()]
    const bulk = await recordEvents(db, [...reviewedComment(a, 0), ...reviewedComment(b, 3)])
    expect(bulk.map((r) => r.created)).toEqual([true, true, true, true, true, true])
    const ids = bulk.map((r) => Number(r.event.id))
    expect(ids).toEqual(ids.map((_, i) => (ids[0] as number) + i))
    expect(bulk[1]?.event.causedBy).toBe(bulk[0]?.event.id)
    expect(bulk[5]?.event.causedBy).toBe(bulk[4]?.event.id)
    for (const s of [a, b]) {
      const stored = await eventsForSubject(db, s.subjectKey)
      expect(stored).toEqual(bulk.map((r) => r.event).filter((e) => e.subjectKey === s.subjectKey))
      expect(await getStatus(db, s.subjectKey)).toEqual(await replayed(db, s.subjectKey))
    }
    expect(await getStatus(db, a.subjectKey)).toMatchObject({
      lastDecision: 'review',
      reviewState: 'open',
      contentHash: 'hash-1',
    })

    const c = subject()
    const single: AuditEvent[] = []
    for (const input of reviewedComment(c, 0)) {
      const ref = input.causedBy as { index: number } | undefined
      const causedBy = ref ? (single[ref.index]?.id ?? null) : null
      single.push(
        (await recordEvent(db, { ...input, causedBy, dedupeKey: String(input.dedupeKey) })).event,
      )
    }
    const same = (events: AuditEvent[], s: Subject) =>
      JSON.parse(JSON.stringify(events.map(unchained)).replaceAll(s.commentId, 'C'))
    expect(
      same(
        bulk.slice(0, 3).map((r) => r.event),
        a,
      ),
    ).toEqual(same(single, c))
    expect(await verifyChain(db)).toMatchObject({ ok: true })
  })

  it('returns the first event and writes nothing when a dedupe key repeats within one call', async () => {
    const s = subject()
    const before = (await verifyChain(db)).head
    const result = await recordEvents(db, [
      receivedInput(s),
      { ...receivedInput(s), reason: 'again in the same delivery' },
      { ...decisionInput(s, '1'), causedBy: { index: 1 } },
    ])
    expect(result[1]).toEqual({ event: result[0]?.event, created: false })
    expect(result[2]?.event.causedBy).toBe(result[0]?.event.id)
    expect(await eventsForSubject(db, s.subjectKey)).toHaveLength(2)
    const after = await verifyChain(db)
    expect(after.ok).toBe(true)
    expect(Number(after.head.lastEventId)).toBe(Number(before.lastEventId) + 2)
  })

  it('returns the stored events and links new ones to them when earlier calls recorded them', async () => {
    const s = subject()
    const first = await recordEvents(db, [receivedInput(s)])
    const again = await recordEvents(db, [
      { ...receivedInput(s), reason: 'redelivered' },
      { ...decisionInput(s, '1'), causedBy: { index: 0 } },
      { ...decisionInput(s, '1'), causedBy: { index: 0 } },
    ])
    expect(again[0]).toEqual({ event: first[0]?.event, created: false })
    expect(again[1]?.created).toBe(true)
    expect(again[1]?.event.causedBy).toBe(first[0]?.event.id)
    expect(again[2]).toEqual({ event: again[1]?.event, created: false })
    const replay = await recordEvents(db, [
      receivedInput(s),
      decisionInput(s, first[0]?.event.id ?? ''),
    ])
    expect(replay.map((r) => r.created)).toEqual([false, false])
    expect(replay.map((r) => r.event)).toEqual([first[0]?.event, again[1]?.event])
    expect(await getStatus(db, s.subjectKey)).toEqual(await replayed(db, s.subjectKey))
    expect((await verifyChain(db)).ok).toBe(true)
  })

  it('rejects the whole call with message_invalid when an index names no earlier input', async () => {
    const s = subject()
    for (const index of [1, 2, -1, 0.5]) {
      await expect(
        recordEvents(db, [receivedInput(s), { ...decisionInput(s, '1'), causedBy: { index } }]),
      ).rejects.toMatchObject({ code: 'message_invalid' })
    }
    await expect(
      recordEvents(db, [receivedInput(s), { ...receivedInput(s), meta: { text: 'words' } }]),
    ).rejects.toMatchObject({ code: 'message_invalid' })
    expect(await eventsForSubject(db, s.subjectKey)).toHaveLength(0)
  })

  it('continues the chain of recordEvent calls when both are used in one transaction', async () => {
    const [a, b] = [subject(), subject()]
    await db.transaction(async (tx) => {
      const received = await recordEvent(tx, receivedInput(a))
      await recordEvents(tx, [
        decisionInput(a, received.event.id),
        receivedInput(b),
        { ...decisionInput(b, '1'), causedBy: { index: 1 } },
      ])
      await recordEvent(tx, actionInput(a, 'action.applied', received.event.id))
    })
    expect(await getStatus(db, a.subjectKey)).toEqual(await replayed(db, a.subjectKey))
    expect(await getStatus(db, a.subjectKey)).toMatchObject({ visibility: 'hidden' })
    expect((await verifyChain(db)).ok).toBe(true)
  })

  it('refuses a many-row insert whose second event does not link to the first', async () => {
    const before = (await verifyChain(db)).head
    const next = Number(before.lastEventId) + 1
    await expect(
      db.query(
        `insert into moderation_event (id, type, subject_key, platform, comment_id, account_id,
           actor_kind, actor_id, dedupe_key, created_at, prev_hash, hash)
         values ($1::bigint, 'note', 'system.x', 'system', null, null, 'system', 'x', $3, now(),
           $2, 'a'),
           ($1::bigint + 1, 'note', 'system.x', 'system', null, null, 'system', 'x', $4, now(),
           'not-a', 'b')`,
        [next, before.lastHash, `forged/${next}`, `forged/${next + 1}`],
      ),
    ).rejects.toThrow(/does not extend the audit chain/)
    expect((await verifyChain(db)).head).toEqual(before)
  })

  it('records nothing and keeps the head when a call is empty', async () => {
    const before = (await verifyChain(db)).head
    expect(await recordEvents(db, [])).toEqual([])
    expect((await verifyChain(db)).head).toEqual(before)
  })
})

describe.each(backendNames())('saveSnapshots on %s', (backend: BackendName) => {
  let t: TestDb
  beforeAll(async () => {
    t = await openTestDb(backend)
  })
  afterAll(() => t?.dispose())

  const snap = (subjectKey: string, text: string, capturedAt: string) => ({
    subjectKey,
    text,
    contentHash: `h-${text}`,
    capturedAt,
  })

  it('keeps the newest version of each comment as saveSnapshot one by one would', async () => {
    const [a, b, c] = [subject(), subject(), subject()]
    await saveSnapshot(t.db, snap(c.subjectKey, 'stored before', '2026-03-01T12:00:00Z'))
    const result = await saveSnapshots(t.db, [
      snap(a.subjectKey, 'first', '2026-03-01T10:00:00Z'),
      snap(a.subjectKey, 'edited', '2026-03-01T11:00:00Z'),
      snap(a.subjectKey, 'late older copy', '2026-03-01T10:30:00Z'),
      snap(b.subjectKey, 'only', '2026-03-01T10:00:00Z'),
      snap(b.subjectKey, 'same time', '2026-03-01T10:00:00Z'),
      snap(c.subjectKey, 'older than stored', '2026-03-01T11:00:00Z'),
    ])
    expect(result.map((r) => r.stored)).toEqual([true, true, false, true, false, false])
    expect((await getSnapshot(t.db, a.subjectKey))?.text).toBe('edited')
    expect((await getSnapshot(t.db, b.subjectKey))?.text).toBe('only')
    expect((await getSnapshot(t.db, c.subjectKey))?.text).toBe('stored before')
    expect(await saveSnapshots(t.db, [])).toEqual([])
  })
})

describe.runIf(backendNames().includes('postgres'))('recordEvents with concurrent writers', () => {
  let t: TestDb
  beforeAll(async () => {
    t = await openTestDb('postgres', { poolSize: 8 })
  })
  afterAll(() => t?.dispose())

  it('keeps one valid chain and every status when eight writers record batches at once', async () => {
    const batches = Array.from({ length: 8 }, () => Array.from({ length: 10 }, () => subject()))
    await Promise.all(
      batches.map(async (subjects) => {
        for (let round = 0; round < 3; round++) {
          await t.db.transaction(async (tx) => {
            await recordEvents(
              tx,
              subjects.flatMap((s, i) => reviewedComment(s, 3 * i)),
            )
          })
        }
      }),
    )
    const verified = await verifyChain(t.db)
    expect(verified).toMatchObject({ ok: true, checked: 8 * 10 * 3 })
    for (const s of batches.flat()) {
      expect(await eventsForSubject(t.db, s.subjectKey)).toHaveLength(3)
      expect(await getStatus(t.db, s.subjectKey)).toEqual(await replayed(t.db, s.subjectKey))
    }
  })
})
