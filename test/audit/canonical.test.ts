import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalJson, eventHash, GENESIS_HASH } from '../../src/audit/canonical.js'
import type { AuditEvent } from '../../src/audit/events.js'

const fields: Omit<AuditEvent, 'prevHash' | 'hash'> = {
  id: '1',
  type: 'note',
  subjectKey: 'x.42',
  platform: 'x',
  commentId: '42',
  postId: null,
  authorId: null,
  accountId: 'acct',
  actor: { kind: 'system', id: 'test' },
  tool: null,
  ruleIds: [],
  categories: [],
  reason: null,
  meta: { b: 1, a: [{ d: true, c: null }] },
  causedBy: null,
  dedupeKey: 'n/1',
  createdAt: '2026-01-01T00:00:00.000Z',
}

describe('canonicalJson', () => {
  it('gives the same text when only the key order differs', () => {
    expect(canonicalJson({ b: 1, a: { y: 2, x: [3, { q: 1, p: 2 }] } })).toBe(
      canonicalJson({ a: { x: [3, { p: 2, q: 1 }], y: 2 }, b: 1 }),
    )
    expect(canonicalJson({ b: 1, a: 'é' })).toBe('{"a":"é","b":1}')
  })

  it('drops undefined members when an object has them', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}')
  })
})

describe('eventHash', () => {
  it('is sha256 of the previous hash followed by the canonical fields', () => {
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalJson({ v: 1, ...fields }))
      .digest('hex')
    expect(eventHash(GENESIS_HASH, fields)).toBe(expected)
  })

  it('changes when any field or the previous hash changes', () => {
    const base = eventHash(GENESIS_HASH, fields)
    expect(eventHash(GENESIS_HASH, { ...fields, reason: 'x' })).not.toBe(base)
    expect(eventHash(GENESIS_HASH, { ...fields, meta: { b: 2, a: [] } })).not.toBe(base)
    expect(eventHash('f'.repeat(64), fields)).not.toBe(base)
  })
})
