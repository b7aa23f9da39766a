/**
 * Retention: comment text is kept only as long as it is useful as evidence, then purged from
 * comment_snapshot. Events are never touched (they hold no text); the purge itself is an event.
 */
import { z } from 'zod'
import { ConfigError } from '../errors.js'
import type { Db } from './db.js'
import type { AuditEvent, AuditEventInput } from './events.js'
import { recordEvent } from './record.js'
import { EVENT_COLUMNS, fromEventRow } from './rows.js'

export const RetentionRulesSchema = z.object({
  /** text of comments left up (allowed, or reviewed and kept) is purged after this many days */
  allowedDays: z.number().int().positive(),
  /** text of comments hidden or deleted, or whose action never completed, after this many */
  removedDays: z.number().int().positive(),
})
export type RetentionRules = z.infer<typeof RetentionRulesSchema>

export type PurgeResult = {
  purged: number
  allowed: number
  removed: number
  /** the comments whose text went: copies elsewhere (Slack messages) are redacted after */
  subjectKeys: string[]
  /** the retention.purged event, or null when there was nothing to purge */
  event: AuditEvent | null
}

/**
 * Purges the text, the author's display name and the matched words of every snapshot whose
 * comment has been quiet long enough: `allowedDays` after its last event for comments still
 * visible and allowed or kept by a reviewer, `removedDays` for all others. Comments under review
 * are never purged. Records one retention.purged event with the counts, in the same transaction.
 */
export async function purgeText(
  db: Db,
  rules: RetentionRules,
  now: Date = new Date(),
): Promise<PurgeResult> {
  const parsed = RetentionRulesSchema.safeParse(rules)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `retention.${i.path.join('.')}: ${i.message}`),
    )
  }
  const { allowedDays, removedDays } = parsed.data
  const at = now.toISOString()
  const allowedBefore = daysBefore(now, allowedDays)
  const removedBefore = daysBefore(now, removedDays)
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ subject_key: string; kept_up: boolean }>(PURGE, [
      at,
      allowedBefore,
      removedBefore,
      `retention: ${allowedDays} days after allowed`,
      `retention: ${removedDays} days after removed`,
    ])
    const allowed = rows.filter((r) => r.kept_up).length
    const removed = rows.length - allowed
    const purged = allowed + removed
    const subjectKeys = rows.map((r) => r.subject_key)
    if (purged === 0) return { purged, allowed, removed, subjectKeys, event: null }
    const { event } = await recordEvent(tx, {
      ...RETENTION_SUBJECT,
      type: 'retention.purged',
      reason: `comment text purged: ${allowed} allowed, ${removed} removed`,
      meta: { purged, allowed, removed, allowedDays, removedDays, allowedBefore, removedBefore },
      dedupeKey: `retention/${at}`,
      at,
    })
    return { purged, allowed, removed, subjectKeys, event }
  })
}

/** A purge whose text may still be copied elsewhere (Slack review messages), with its comments. */
export type PendingRedaction = { purge: AuditEvent; subjectKeys: string[] }

/**
 * Purges whose copies have not been queued for redaction yet, oldest first: one made by
 * `wardguard audit purge` (no Slack at hand), or by a service that stopped before it queued them.
 * A purge's comments are the snapshots it stamped with its own time.
 */
export async function purgesAwaitingRedaction(
  db: Db,
  now: Date,
  limit = 10,
): Promise<PendingRedaction[]> {
  // @NOTE bounded to a month back: older purges predate this check (their copies were queued
  // by the purge itself), and a store upgraded with years of them must not flood Slack once
  const since = daysBefore(now, 30)
  const rows = await db.query(
    `select ${EVENT_COLUMNS} from moderation_event e
     where e.type = 'retention.purged' and e.created_at >= $2::timestamptz
       and not exists (
         select 1 from moderation_event n where n.dedupe_key = e.id::text || '/copies.queued'
       )
     order by e.id limit $1`,
    [limit, since],
  )
  const out: PendingRedaction[] = []
  for (const purge of rows.map(fromEventRow)) {
    const keys = await db.query<{ subject_key: string }>(
      `select subject_key from comment_snapshot
       where purged_at = $1::timestamptz and purge_reason like 'retention:%'`,
      [purge.createdAt],
    )
    out.push({ purge, subjectKeys: keys.map((k) => k.subject_key) })
  }
  return out
}

/** Records that a purge's copies elsewhere were queued for redaction (once per purge). */
export async function recordRedactionQueued(db: Db, pending: PendingRedaction): Promise<void> {
  await recordRetentionNote(db, {
    reason: `copies of the purged text of ${pending.subjectKeys.length} comments queued for redaction (Slack review messages)`,
    meta: { comments: pending.subjectKeys.length },
    causedBy: pending.purge.id,
    dedupeKey: `${pending.purge.id}/copies.queued`,
  })
}

/** A note on the retention run's own record (about no comment). */
export async function recordRetentionNote(
  db: Db,
  note: Pick<AuditEventInput, 'reason' | 'meta' | 'dedupeKey' | 'causedBy' | 'at'>,
): Promise<void> {
  await recordEvent(db, { ...RETENTION_SUBJECT, type: 'note', ...note })
}

const RETENTION_SUBJECT = {
  subjectKey: 'system.retention',
  platform: 'system',
  commentId: null,
  accountId: null,
  actor: { kind: 'system', id: 'retention' },
} as const

function daysBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString()
}

// @NOTE "kept up" = still visible and either allowed by policy or kept by a reviewer; anything
// else (hidden, deleted, an act decision not carried out, no status at all) keeps its text for
// the longer period, because it is the evidence for what was done.
const PURGE = `with candidates as (
    select c.subject_key,
      coalesce(s.visibility = 'visible'
        and (s.last_decision = 'allow' or s.review_state = 'closed'), false) as kept_up,
      greatest(c.captured_at, coalesce(s.updated_at, c.captured_at)) as quiet_since
    from comment_snapshot c
    left join subject_status s on s.subject_key = c.subject_key
    where c.purged_at is null
      and coalesce(s.review_state, 'none') not in ('open', 'escalated')
  ),
  due as (
    select subject_key, kept_up from candidates
    where quiet_since < case when kept_up then $2::timestamptz else $3::timestamptz end
  ),
  purged as (
    update comment_snapshot c set text = null, author_name = null, reasons = null,
      purged_at = $1::timestamptz,
      purge_reason = case when d.kept_up then $4 else $5 end
    from due d
    where c.subject_key = d.subject_key
    returning d.subject_key, d.kept_up
  )
  select subject_key, kept_up from purged`
