import type { Db } from './db.js'
import type { AuditEventInput } from './events.js'
import { type Recorded, recordEvents } from './record-bulk.js'

export type { BulkEventInput, CauseKey, EventRef, Recorded } from './record-bulk.js'
export { recordEvents } from './record-bulk.js'

/**
 * Appends one event, links it into the hash chain and folds it into its comment's status, all
 * in one transaction: the caller's when `db` is a transaction handle, else its own. A repeated
 * dedupeKey returns the first event unchanged with `created: false`, so retried jobs are harmless.
 */
export async function recordEvent(db: Db, input: AuditEventInput): Promise<Recorded> {
  const [recorded] = await recordEvents(db, [input])
  return recorded as Recorded
}
