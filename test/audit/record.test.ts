import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyChain } from '../../src/audit/chain.js'
import type { Db } from '../../src/audit/db.js'
import { eventsForSubject, getStatus } from '../../src/audit/query.js'
import { recordEvent } from '../../src/audit/record.js'
import { nextStatus } from '../../src/audit/status.js'
import { type BackendName, backendNames, openTestDb, type TestDb } from './backends.js'
import { actionInput, decisionInput, receivedInput, subject } from './fixtures.js'

describe.each(backendNames())('recordEvent on %s', (backend: BackendName) => {
  let t: TestDb
  let db: Db
  beforeAll(async () => {
    t = await openTestDb(backend)
    db = t.db
  })
  afterAll(() => t?.dispose())

  it('stores every field and hands back the stored event when an event is new', async () => {
    const s = subject()
    const { event, created } = await recordEvent(db, {
      ...receivedInput(s),
      reason: 'first delivery',
      at: '2026-03-01T10:00:00.123456Z',
    })
    expect(created).toBe(true)
    expect(event).toMatchObject({
      type: 'comment.received',
      subjectKey: s.subjectKey,
      postId: 'post-1',
      actor: { kind: 'platform', id: 'facebook' },
      tool: null,
      ruleIds: [],
      reason: 'first delivery',
      meta: { contentHash: 'hash-1', deliveryKey: 'd1' },
      causedBy: null,
      createdAt: '2026-03-01T10:00:00.123Z',
    })
    expect(event.id).toMatch(/^\d+$/)
    expect(event.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(await eventsForSubject(db, s.subjectKey)).toEqual([event])
  })

  it('returns the first event unchanged and writes nothing when the dedupe key repeats', async () => {
    const s = subject()
    const first = await recordEvent(db, receivedInput(s))
    const again = await recordEvent(db, {
      ...receivedInput(s),
      reason: 'redelivered',
      at: '2030-01-01T00:00:00Z',
    })
    expect(again).toEqual({ event: first.event, created: false })
    const inTx = await db.transaction(async (tx) => {
      await recordEvent(tx, decisionInput(s, first.event.id))
      return recordEvent(tx, receivedInput(s))
    })
    expect(inTx).toEqual({ event: first.event, created: false })
    expect(await eventsForSubject(db, s.subjectKey)).toHaveLength(2)
    expect((await verifyChain(db)).ok).toBe(true)
  })

  it('folds each event into the status in the same transaction when a comment is hidden', async () => {
    const s = subject()
    await db.transaction(async (tx) => {
      const received = await recordEvent(tx, receivedInput(s))
      const decided = await recordEvent(tx, decisionInput(s, received.event.id))
      const requested = await recordEvent(tx, actionInput(s, 'action.requested', decided.event.id))
      await recordEvent(tx, actionInput(s, 'action.applied', requested.event.id))
    })
    const status = await getStatus(db, s.subjectKey)
    expect(status).toMatchObject({
      visibility: 'hidden',
      lastDecision: 'act',
      lastAction: 'hide',
      categories: ['abuse'],
      contentHash: 'hash-1',
      reviewState: 'none',
    })
    // the stored status is exactly what replaying the trail gives
    const events = await eventsForSubject(db, s.subjectKey)
    const replayed = events.reduce<ReturnType<typeof nextStatus> | null>(nextStatus, null)
    expect(status).toEqual(replayed)
    expect(status?.lastEventId).toBe(events.at(-1)?.id)
  })

  it('leaves no event, status or chain link behind when the surrounding transaction fails', async () => {
    const s = subject()
    const before = await verifyChain(db)
    await expect(
      db.transaction(async (tx) => {
        await recordEvent(tx, receivedInput(s))
        throw new Error('the platform call failed')
      }),
    ).rejects.toThrow('the platform call failed')
    expect(await eventsForSubject(db, s.subjectKey)).toEqual([])
    expect(await getStatus(db, s.subjectKey)).toBeNull()
    const after = await verifyChain(db)
    expect(after).toMatchObject({ ok: true, head: before.head })
    // the next event takes the id the rolled-back one would have had: no gap in the trail
    const next = await recordEvent(db, receivedInput(s))
    expect(next.event.id).toBe(String(Number(before.head.lastEventId) + 1))
  })

  it('keeps the outer work when a nested transaction rolls back to its savepoint', async () => {
    const s = subject()
    const kept = await db.transaction(async (tx) => {
      const received = await recordEvent(tx, receivedInput(s))
      await expect(
        tx.transaction(async (inner) => {
          await recordEvent(inner, decisionInput(s, received.event.id))
          throw new Error('undo the decision')
        }),
      ).rejects.toThrow('undo the decision')
      await recordEvent(tx, decisionInput(s, received.event.id, 'allow', []))
      return received
    })
    const events = await eventsForSubject(db, s.subjectKey)
    expect(events.map((e) => e.type)).toEqual(['comment.received', 'decision.made'])
    expect(events[0]).toEqual(kept.event)
    expect(events[1]?.meta.decision).toBe('allow')
    expect((await getStatus(db, s.subjectKey))?.lastDecision).toBe('allow')
    expect((await verifyChain(db)).ok).toBe(true)
  })

  it('queues appends instead of forking the chain when calls race on one transaction', async () => {
    const s = subject()
    await db.transaction(async (tx) => {
      const received = await recordEvent(tx, receivedInput(s))
      await Promise.all(
        ['a', 'b', 'c'].map((k) =>
          recordEvent(tx, {
            ...actionInput(s, 'action.requested', received.event.id),
            dedupeKey: `${s.subjectKey}/${k}`,
          }),
        ),
      )
    })
    expect(await eventsForSubject(db, s.subjectKey)).toHaveLength(4)
    expect((await verifyChain(db)).ok).toBe(true)
  })

  it('records events about no comment without creating a status when platform is system', async () => {
    const { event } = await recordEvent(db, {
      type: 'alert.raised',
      subjectKey: 'system.token',
      platform: 'system',
      commentId: null,
      accountId: null,
      actor: { kind: 'system', id: 'token-check' },
      meta: { account: 'page-1', problem: 'token_invalid' },
      dedupeKey: `token/${Date.now()}`,
    })
    expect(event.accountId).toBeNull()
    expect(await getStatus(db, 'system.token')).toBeNull()
  })

  it('stores meta as JSON would when it holds undefined members or dates', async () => {
    const s = subject()
    const { event } = await recordEvent(db, {
      ...receivedInput(s),
      meta: { contentHash: 'h', platformRef: undefined, seenAt: new Date('2026-01-02T03:04:05Z') },
    })
    expect(event.meta).toEqual({ contentHash: 'h', seenAt: '2026-01-02T03:04:05.000Z' })
    expect((await eventsForSubject(db, s.subjectKey))[0]?.meta).toEqual(event.meta)
    expect((await verifyChain(db)).ok).toBe(true)
  })

  it('rejects the event with message_invalid when meta carries comment text', async () => {
    const s = subject()
    await expect(
      recordEvent(db, {
        ...receivedInput(s),
        meta: { contentHash: 'h', snippet: { text: 'you are a …' } },
      }),
    ).rejects.toMatchObject({
      code: 'message_invalid',
      message: expect.stringContaining('meta.snippet.text'),
    })
    expect(await eventsForSubject(db, s.subjectKey)).toEqual([])
  })

  it('rejects the event with message_invalid when the fields the status needs are missing', async () => {
    const s = subject()
    await expect(
      recordEvent(db, { ...decisionInput(s, '1'), meta: { decision: 'maybe' } }),
    ).rejects.toMatchObject({
      code: 'message_invalid',
    })
    await expect(recordEvent(db, { ...receivedInput(s), meta: {} })).rejects.toThrow(/contentHash/)
    await expect(
      recordEvent(db, { ...receivedInput(s), type: 'comment.liked' as 'note' }),
    ).rejects.toThrow(/type/)
  })

  it('fails loudly instead of hanging when the top-level handle is used inside a transaction', async () => {
    await expect(
      db.transaction(async () => {
        await recordEvent(db, receivedInput(subject()))
      }),
    ).rejects.toThrow(/use the transaction handle/)
  })

  it('lets work a transaction left running use the db once that transaction has ended', async () => {
    let later: Promise<unknown> = Promise.resolve()
    await db.transaction(async (tx) => {
      await recordEvent(tx, receivedInput(subject()))
      later = new Promise((resolve) => setTimeout(resolve, 20)).then(() =>
        recordEvent(db, receivedInput(subject())),
      )
    })
    await expect(later).resolves.toMatchObject({ created: true })
  })

  it('refuses a cause that does not exist when causedBy names an unknown event', async () => {
    const s = subject()
    await expect(recordEvent(db, decisionInput(s, '999999999'))).rejects.toThrow()
    expect((await verifyChain(db)).ok).toBe(true)
  })
})
