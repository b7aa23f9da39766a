import { describe, expect, it } from 'vitest'
import type { AuditEvent } from '../../src/audit/events.js'
import { foldsIntoStatus, nextStatus } from '../../src/audit/status.js'

let seq = 0
function event(type: AuditEvent['type'], over: Partial<AuditEvent> = {}): AuditEvent {
  seq++
  return {
    id: String(seq),
    type,
    subjectKey: 'facebook.c1',
    platform: 'facebook',
    commentId: 'c1',
    postId: 'p1',
    authorId: 'u1',
    accountId: 'page1',
    actor: { kind: 'policy', id: 'policy@v1' },
    tool: null,
    ruleIds: [],
    categories: [],
    reason: null,
    meta: {},
    causedBy: null,
    dedupeKey: `k${seq}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    prevHash: '',
    hash: '',
    ...over,
  }
}

function fold(events: AuditEvent[]) {
  return events.reduce<ReturnType<typeof nextStatus> | null>((s, e) => nextStatus(s, e), null)
}

describe('nextStatus', () => {
  it('starts a visible comment with no review when the comment is received', () => {
    const received = event('comment.received', { meta: { contentHash: 'h1' } })
    const s = nextStatus(null, received)
    expect(s).toMatchObject({
      subjectKey: 'facebook.c1',
      commentId: 'c1',
      accountId: 'page1',
      authorId: 'u1',
      visibility: 'visible',
      reviewState: 'none',
      lastDecision: null,
      contentHash: 'h1',
      lastEventId: received.id,
      createdAt: received.createdAt,
    })
  })

  it('records the decision and its categories when a decision is made', () => {
    const s = fold([
      event('comment.received', { meta: { contentHash: 'h1' } }),
      event('decision.made', { meta: { decision: 'act', action: 'hide' }, categories: ['abuse'] }),
    ])
    expect(s).toMatchObject({ lastDecision: 'act', categories: ['abuse'], visibility: 'visible' })
  })

  it('hides the comment only when the hide is applied, not when it is requested', () => {
    const requested = fold([event('action.requested', { meta: { action: 'hide' } })])
    expect(requested?.visibility).toBe('visible')
    const applied = nextStatus(requested, event('action.applied', { meta: { action: 'hide' } }))
    expect(applied).toMatchObject({ visibility: 'hidden', lastAction: 'hide' })
    const unhidden = nextStatus(applied, event('action.applied', { meta: { action: 'unhide' } }))
    expect(unhidden.visibility).toBe('visible')
  })

  it('keeps a deleted comment deleted when later actions or echoes arrive', () => {
    const deleted = fold([
      event('action.applied', { meta: { action: 'delete' } }),
      event('action.applied', { meta: { action: 'unhide' } }),
      event('comment.unhidden_on_platform'),
    ])
    expect(deleted?.visibility).toBe('deleted')
  })

  it('leaves visibility alone when the action is against the author (ban)', () => {
    const s = fold([event('action.applied', { meta: { action: 'ban' } })])
    expect(s).toMatchObject({ visibility: 'visible', lastAction: 'ban' })
  })

  it('follows what a person did on the platform itself when echoes arrive', () => {
    const hidden = fold([event('comment.hidden_on_platform')])
    expect(hidden?.visibility).toBe('hidden')
    expect(nextStatus(hidden, event('comment.removed_on_platform')).visibility).toBe('deleted')
  })

  it('walks a review from open through escalated to closed with the reviewer named', () => {
    const open = fold([event('review.requested')])
    expect(open?.reviewState).toBe('open')
    const escalated = nextStatus(open, event('review.escalated'))
    expect(escalated.reviewState).toBe('escalated')
    // a second request (e.g. after an edit) does not demote an escalation
    expect(nextStatus(escalated, event('review.requested')).reviewState).toBe('escalated')
    const resolved = event('review.resolved', { actor: { kind: 'moderator', id: 'U123' } })
    expect(nextStatus(escalated, resolved)).toMatchObject({
      reviewState: 'closed',
      lastReviewedBy: 'U123',
      lastReviewedAt: resolved.createdAt,
    })
  })

  it('tracks the newest content hash when the comment is edited', () => {
    const s = fold([
      event('comment.received', { meta: { contentHash: 'h1' } }),
      event('comment.edited', { meta: { contentHash: 'h2' } }),
    ])
    expect(s?.contentHash).toBe('h2')
  })

  it('never moves updatedAt backwards when an older event is replayed late', () => {
    const late = event('comment.received', { createdAt: '2026-02-01T00:00:00.000Z' })
    const early = event('note', { createdAt: '2026-01-01T00:00:00.000Z' })
    const s = nextStatus(nextStatus(null, late), early)
    expect(s.updatedAt).toBe('2026-02-01T00:00:00.000Z')
    expect(s.lastEventId).toBe(early.id)
  })

  it('fills in the author when the first event did not know it', () => {
    const s = fold([
      event('note', { authorId: null }),
      event('comment.received', { authorId: 'u9' }),
    ])
    expect(s?.authorId).toBe('u9')
  })

  it('refuses to start a status when the event is not about a comment', () => {
    const purge = event('retention.purged', {
      platform: 'system',
      commentId: null,
      accountId: null,
    })
    expect(foldsIntoStatus(purge)).toBe(false)
    expect(() => nextStatus(null, purge)).toThrow(/not about a comment/)
  })
})
