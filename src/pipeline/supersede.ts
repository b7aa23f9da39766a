/**
 * Whether a comment is hidden or about to be, from its audit events. The act stage's reads of
 * the same questions are in src/audit/act-checks.ts.
 */
import { type AuditEvent, SETTLED_TYPES } from '../audit/index.js'

/**
 * Whether the comment is hidden, or about to be: shown to reviewers, and what makes a Keep a
 * reversal that needs an explanation (and an unhide).
 */
export function hiddenOrPending(visibility: string | undefined, events: AuditEvent[]): boolean {
  if (visibility === 'hidden') return true
  const settled = new Set(
    events
      .filter((e) => (SETTLED_TYPES as readonly string[]).includes(e.type))
      .map((e) => e.causedBy),
  )
  return events.some(
    (e) =>
      e.type === 'action.requested' &&
      e.actor.kind === 'policy' &&
      e.meta.action === 'hide' &&
      !settled.has(e.id),
  )
}
