import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyChain } from '../../src/audit/chain.js'
import type { AuditEventInput } from '../../src/audit/events.js'
import { eventsForSubject, listEvents } from '../../src/audit/query.js'
import { recordEvent } from '../../src/audit/record.js'
import { purgeText } from '../../src/audit/retention.js'
import { getSnapshot, saveSnapshot } from '../../src/audit/snapshot.js'
import { type BackendName, backendNames, openTestDb, type TestDb } from './backends.js'
import { decisionInput, receivedInput, subject } from './fixtures.js'

const DAY = 86_400_000
const NOW = new Date('2026-06-01T00:00:00.000Z')
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY).toISOString()

describe.each(backendNames())('comment snapshots on %s', (backend: BackendName) => {
  let t: TestDb
  beforeAll(async () => {
    t = await openTestDb(backend)
  })
  afterAll(() => t?.dispose())

  it('keeps the newest text and leaves both hashes in the trail when a comment is edited', async () => {
    const db = t.db
    const s = subject()
    const snap = (text: string, contentHash: string, capturedAt: string) => ({
      subjectKey: s.subjectKey,
      authorId: 'author-1',
      authorName: 'A Resident',
      text,
      permalink: 'https://facebook.com/p/1?comment_id=1',
      reasons: [
        { rule: 'r.words', category: 'abuse', match: text.split(' ')[0] ?? '', explanation: 'x' },
      ],
      contentHash,
      capturedAt,
    })
    await db.transaction(async (tx) => {
      expect(await saveSnapshot(tx, snap('first words', 'h1', '2026-05-01T10:00:00Z'))).toEqual({
        stored: true,
      })
      await recordEvent(tx, receivedInput(s, 'h1'))
    })
    await db.transaction(async (tx) => {
      expect(await saveSnapshot(tx, snap('second words', 'h2', '2026-05-01T11:00:00Z'))).toEqual({
        stored: true,
      })
      await recordEvent(tx, {
        ...receivedInput(s, 'h2'),
        type: 'comment.edited',
        dedupeKey: `${s.subjectKey}/h2/comment.edited`,
      })
    })
    // a late redelivery of the first version changes nothing
    expect(await saveSnapshot(db, snap('first words', 'h1', '2026-05-01T10:00:00Z'))).toEqual({
      stored: false,
    })
    expect(await getSnapshot(db, s.subjectKey)).toMatchObject({
      text: 'second words',
      reasons: [{ rule: 'r.words', category: 'abuse', match: 'second', explanation: 'x' }],
      contentHash: 'h2',
      authorName: 'A Resident',
      capturedAt: '2026-05-01T11:00:00.000Z',
      purgedAt: null,
    })
    const hashes = (await eventsForSubject(db, s.subjectKey)).map((e) => e.meta.contentHash)
    expect(hashes).toEqual(['h1', 'h2'])
  })

  it('returns null when no snapshot was saved for the subject', async () => {
    expect(await getSnapshot(t.db, 'facebook.never-seen')).toBeNull()
  })
})

describe.each(backendNames())('purgeText on %s', (backend: BackendName) => {
  let t: TestDb
  beforeAll(async () => {
    t = await openTestDb(backend)
  })
  afterAll(() => t?.dispose())

  /** A comment whose last event happened `quietDays` ago, with its text saved. */
  async function comment(
    quietDays: number,
    after: 'allow' | 'hidden' | 'open review' | 'kept by reviewer' | 'no events',
  ) {
    const db = t.db
    const s = subject()
    const at = daysAgo(quietDays)
    await saveSnapshot(db, {
      subjectKey: s.subjectKey,
      authorName: 'A Resident',
      text: `text of ${s.commentId}`,
      contentHash: 'hash-1',
      capturedAt: at,
    })
    if (after === 'no events') return s.subjectKey
    const received = await recordEvent(db, { ...receivedInput(s), at })
    const decide = (decision: 'allow' | 'act' | 'review') =>
      recordEvent(db, { ...decisionInput(s, received.event.id, decision), at })
    const extra = (type: AuditEventInput['type'], meta: Record<string, string> = {}) =>
      recordEvent(db, {
        ...s,
        type,
        actor: { kind: 'moderator', id: 'U1' },
        meta,
        dedupeKey: `${s.subjectKey}/${type}`,
        at,
      })
    if (after === 'allow') await decide('allow')
    if (after === 'hidden') {
      await decide('act')
      await extra('action.applied', { action: 'hide' })
    }
    if (after === 'open review' || after === 'kept by reviewer') {
      await decide('review')
      await extra('review.requested')
      if (after === 'kept by reviewer') await extra('review.resolved', { verdict: 'keep' })
    }
    return s.subjectKey
  }

  it('purges text by its retention period, keeps every event and records the purge', async () => {
    const db = t.db
    const allowedOld = await comment(40, 'allow')
    const allowedNew = await comment(10, 'allow')
    const keptOld = await comment(40, 'kept by reviewer')
    const hiddenMid = await comment(40, 'hidden')
    const hiddenOld = await comment(400, 'hidden')
    const underReview = await comment(400, 'open review')
    const orphanMid = await comment(40, 'no events')
    const orphanOld = await comment(400, 'no events')
    const eventsBefore = await eventsForSubject(db, hiddenOld)

    const result = await purgeText(db, { allowedDays: 30, removedDays: 365 }, NOW)
    expect(result).toMatchObject({ purged: 4, allowed: 2, removed: 2 })
    expect([...result.subjectKeys].sort()).toEqual(
      [allowedOld, keptOld, hiddenOld, orphanOld].sort(),
    )

    const text = async (key: string) => (await getSnapshot(db, key))?.text ?? null
    for (const key of [allowedOld, keptOld, hiddenOld, orphanOld]) {
      expect(await getSnapshot(db, key)).toMatchObject({
        text: null,
        authorName: null,
        reasons: [],
        purgedAt: NOW.toISOString(),
        purgeReason: expect.stringMatching(/^retention: (30|365) days/),
      })
    }
    for (const key of [allowedNew, hiddenMid, underReview, orphanMid]) {
      expect(await text(key)).toMatch(/^text of /)
    }
    expect(await eventsForSubject(db, hiddenOld)).toEqual(eventsBefore)

    const purges = await listEvents(db, { type: 'retention.purged' })
    expect(purges.items).toHaveLength(1)
    expect(purges.items[0]).toMatchObject({
      id: result.event?.id,
      actor: { kind: 'system', id: 'retention' },
      meta: { purged: 4, allowed: 2, removed: 2, allowedDays: 30, removedDays: 365 },
      createdAt: NOW.toISOString(),
    })
    expect((await verifyChain(db)).ok).toBe(true)

    // a second run finds nothing and records nothing
    const again = await purgeText(db, { allowedDays: 30, removedDays: 365 }, NOW)
    expect(again).toEqual({ purged: 0, allowed: 0, removed: 0, subjectKeys: [], event: null })
    expect((await listEvents(db, { type: 'retention.purged' })).items).toHaveLength(1)
  })

  it('rejects rules with a config error when a period is not a positive number of days', async () => {
    await expect(purgeText(t.db, { allowedDays: 0, removedDays: 365 }, NOW)).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringContaining('retention.allowedDays'),
    })
  })
})
