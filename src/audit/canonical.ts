import { createHash } from 'node:crypto'
import type { AuditEvent } from './events.js'

/** prev_hash of the first event. */
export const GENESIS_HASH = '0'.repeat(64)

/**
 * JSON with object keys sorted (by UTF-16 code unit, i.e. plain Array.sort) at every depth and no
 * whitespace. Anyone can recompute an event's hash from an export with sha256 and this rule.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/**
 * hash = sha256_hex(prevHash + canonicalJson(fields)), where fields are every stored column but
 * the hashes themselves, plus a format version `v`.
 */
export function eventHash(prevHash: string, event: Omit<AuditEvent, 'prevHash' | 'hash'>): string {
  const fields = {
    v: 1,
    id: event.id,
    type: event.type,
    subjectKey: event.subjectKey,
    platform: event.platform,
    commentId: event.commentId,
    postId: event.postId,
    authorId: event.authorId,
    accountId: event.accountId,
    actor: event.actor,
    tool: event.tool,
    ruleIds: event.ruleIds,
    categories: event.categories,
    reason: event.reason,
    meta: event.meta,
    causedBy: event.causedBy,
    dedupeKey: event.dedupeKey,
    createdAt: event.createdAt,
  }
  return createHash('sha256')
    .update(prevHash + canonicalJson(fields))
    .digest('hex')
}
