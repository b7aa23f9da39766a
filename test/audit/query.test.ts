import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../src/audit/db.js'
import type { AuditEvent, AuditEventInput } from '../../src/audit/events.js'
import { countOpenReviews, findStaleActionRequests, listEvents } from '../../src/audit/query.js'
import { recordEvent } from '../../src/audit/record.js'
import { type BackendName, backendNames, openTestDb, type TestDb } from './backends.js'
import { actionInput, receivedInput, subject } from './fixtures.js'

const MINUTE = 60_000

async function pageThrough(db: Db, filter: Parameters<typeof listEvents>[1], limit: number) {
  const seen: AuditEvent[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const page = await listEvents(db, filter, cursor, limit)
    seen.push(...page.items)
    cursor = page.nextCursor
    pages++
  } while (cursor && pages < 100)
  return { seen, pages }
}

describe.each(backendNames())('audit queries on %s', (backend: BackendName) => {
  let t: TestDb
  let db: Db
  beforeAll(async () => {
    t = await openTestDb(backend)
    db = t.db
  })
  afterAll(() => t?.dispose())

  it('pages newest first with no repeat and no gap when many events share a timestamp', async () => {
    const accountId = `acct-page-${backend}`
    const times = [
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T09:00:00.000Z',
    ]
    for (let i = 0; i < 21; i++) {
      const s = { ...subject(), accountId }
      await recordEvent(db, { ...receivedInput(s), at: times[i % 3] })
    }
    const { seen, pages } = await pageThrough(db, { accountId }, 4)
    expect(pages).toBe(6)
    expect(seen).toHaveLength(21)
    expect(new Set(seen.map((e) => e.id)).size).toBe(21)
    const expected = [...seen].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || Number(b.id) - Number(a.id),
    )
    expect(seen.map((e) => e.id)).toEqual(expected.map((e) => e.id))
  })

  it('does not show events recorded after the first page when paging on', async () => {
    const accountId = `acct-live-${backend}`
    for (let i = 0; i < 6; i++) await recordEvent(db, receivedInput({ ...subject(), accountId }))
    const first = await listEvents(db, { accountId }, null, 3)
    await recordEvent(db, receivedInput({ ...subject(), accountId }))
    const second = await listEvents(db, { accountId }, first.nextCursor, 3)
    const ids = [...first.items, ...second.items].map((e) => Number(e.id))
    expect(ids).toHaveLength(6)
    expect(new Set(ids).size).toBe(6)
    expect(second.nextCursor).toBeNull()
  })

  it('returns only matching events when filtering by type, category, actor and dates', async () => {
    const accountId = `acct-filter-${backend}`
    const s = { ...subject(), accountId }
    const base: Omit<AuditEventInput, 'type' | 'dedupeKey'> = {
      ...s,
      actor: { kind: 'policy', id: 'policy@v2' },
    }
    const received = await recordEvent(db, { ...receivedInput(s), at: '2026-02-01T00:00:00Z' })
    await recordEvent(db, {
      ...base,
      type: 'decision.made',
      categories: ['threat', 'abuse'],
      meta: { decision: 'review' },
      causedBy: received.event.id,
      dedupeKey: `${s.subjectKey}/d`,
      at: '2026-02-02T00:00:00Z',
    })
    await recordEvent(db, {
      ...base,
      type: 'review.resolved',
      actor: { kind: 'moderator', id: 'U42' },
      reason: 'criticism, not abuse',
      dedupeKey: `${s.subjectKey}/r`,
      at: '2026-02-03T00:00:00Z',
    })
    const types = async (filter: Parameters<typeof listEvents>[1]) =>
      (await listEvents(db, { accountId, ...filter })).items.map((e) => e.type)
    expect(await types({ type: 'decision.made' })).toEqual(['decision.made'])
    expect(await types({ type: ['comment.received', 'review.resolved'] })).toEqual([
      'review.resolved',
      'comment.received',
    ])
    expect(await types({ category: 'threat' })).toEqual(['decision.made'])
    expect(await types({ actorKind: 'moderator' })).toEqual(['review.resolved'])
    expect(await types({ actorId: 'policy@v2' })).toEqual(['decision.made'])
    expect(await types({ from: '2026-02-02T00:00:00Z', to: '2026-02-03T00:00:00Z' })).toEqual([
      'decision.made',
    ])
    expect(await types({ subjectKey: 'facebook.nothing' })).toEqual([])
  })

  it('rejects with message_invalid when the cursor or filter is malformed', async () => {
    await expect(listEvents(db, {}, 'not-a-cursor')).rejects.toMatchObject({
      code: 'message_invalid',
    })
    await expect(listEvents(db, { from: 'yesterday' })).rejects.toMatchObject({
      code: 'message_invalid',
    })
  })

  it('counts open and escalated reviews but not closed ones', async () => {
    const accountId = `acct-review-${backend}`
    const review = async (types: AuditEventInput['type'][]) => {
      const s = { ...subject(), accountId }
      for (const type of types) {
        await recordEvent(db, {
          ...s,
          type,
          actor: { kind: 'moderator', id: 'U1' },
          dedupeKey: `${s.subjectKey}/${type}`,
        })
      }
    }
    await review(['review.requested'])
    await review(['review.requested', 'review.escalated'])
    await review(['review.requested', 'review.resolved'])
    expect(await countOpenReviews(db, { accountId })).toBe(2)
    expect(await countOpenReviews(db)).toBeGreaterThanOrEqual(2)
  })
})

describe.each(backendNames())('findStaleActionRequests on %s', (backend: BackendName) => {
  let t: TestDb
  beforeAll(async () => {
    t = await openTestDb(backend)
  })
  afterAll(() => t?.dispose())

  it('finds requests nothing settled once they are older than the threshold', async () => {
    const db = t.db
    const now = new Date('2026-05-01T12:00:00.000Z')
    const ago = (ms: number) => new Date(now.getTime() - ms).toISOString()
    const request = async (
      age: number,
      settle?: 'action.applied' | 'action.failed' | 'action.parked',
    ) => {
      const s = subject()
      const received = await recordEvent(db, { ...receivedInput(s), at: ago(age + 1000) })
      const requested = await recordEvent(db, {
        ...actionInput(s, 'action.requested', received.event.id),
        at: ago(age),
      })
      if (settle)
        await recordEvent(db, { ...actionInput(s, settle, requested.event.id), at: ago(age - 500) })
      return requested.event
    }
    const lost = await request(30 * MINUTE)
    const lostEarlier = await request(60 * MINUTE)
    await request(30 * MINUTE, 'action.applied')
    await request(30 * MINUTE, 'action.failed')
    const parked = await request(30 * MINUTE, 'action.parked')
    await request(2 * MINUTE) // still within the threshold: its job may be running
    await request(8 * 86_400_000) // beyond the default 7-day lookback

    const stale = await findStaleActionRequests(db, 10 * MINUTE, now)
    expect(stale.map((e) => e.id)).toEqual([lostEarlier.id, lost.id])
    const withParked = await findStaleActionRequests(db, 10 * MINUTE, now, { includeParked: true })
    expect(withParked.map((e) => e.id)).toEqual([lostEarlier.id, lost.id, parked.id])
    expect(await findStaleActionRequests(db, 10 * MINUTE, now, { limit: 1 })).toHaveLength(1)
  })
})
