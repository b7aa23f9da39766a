/** comment_snapshot: the only place comment text lives, so retention can purge it alone. */
import { z } from 'zod'
import { AppError } from '../errors.js'
import type { Db } from './db.js'
import { isoOf } from './rows.js'

/** One rule that fired, with the words it matched (hence personal data, purged with the text). */
export const SnapshotReasonSchema = z.object({
  rule: z.string(),
  category: z.string(),
  match: z.string(),
  explanation: z.string(),
})
export type SnapshotReason = z.infer<typeof SnapshotReasonSchema>

export const SnapshotInputSchema = z.object({
  subjectKey: z.string().min(1),
  authorId: z.string().nullish(),
  authorName: z.string().nullish(),
  text: z.string(),
  permalink: z.string().nullish(),
  reasons: z.array(SnapshotReasonSchema).optional(),
  /** sha256 of the text, as carried by CommentEnvelope and the comment.* events */
  contentHash: z.string().min(1),
  /** when this version of the text was seen; the newest version wins */
  capturedAt: z.iso.datetime({ offset: true }),
})
export type SnapshotInput = z.input<typeof SnapshotInputSchema>

export type CommentSnapshot = {
  subjectKey: string
  authorId: string | null
  authorName: string | null
  /** null once purged */
  text: string | null
  permalink: string | null
  /** empty once purged */
  reasons: SnapshotReason[]
  contentHash: string
  capturedAt: string
  purgedAt: string | null
  purgeReason: string | null
}

/**
 * Stores the text of a comment, replacing an older version (an edit). A redelivery of the same
 * or an older version changes nothing, so it never brings purged text back. Returns whether it
 * stored anything. Call it in the transaction that records comment.received / comment.edited,
 * whose meta.contentHash keeps every version's hash in the trail.
 */
export async function saveSnapshot(tx: Db, input: SnapshotInput): Promise<{ stored: boolean }> {
  const parsed = SnapshotInputSchema.safeParse(input)
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ')
    throw new AppError('message_invalid', `invalid comment snapshot (${fields})`)
  }
  const s = parsed.data
  const rows = await tx.query(
    `insert into comment_snapshot (subject_key, author_id, author_name, text, permalink,
       content_hash, captured_at, reasons)
     values ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::jsonb)
     on conflict (subject_key) do update set
       author_id = excluded.author_id, author_name = excluded.author_name, text = excluded.text,
       permalink = excluded.permalink, content_hash = excluded.content_hash,
       reasons = excluded.reasons,
       captured_at = excluded.captured_at, purged_at = null, purge_reason = null
     where comment_snapshot.captured_at < excluded.captured_at
     returning subject_key`,
    [
      s.subjectKey,
      s.authorId ?? null,
      s.authorName ?? null,
      s.text,
      s.permalink ?? null,
      s.contentHash,
      new Date(s.capturedAt).toISOString(),
      s.reasons ? JSON.stringify(s.reasons) : null,
    ],
  )
  return { stored: rows.length > 0 }
}

export async function getSnapshot(db: Db, subjectKey: string): Promise<CommentSnapshot | null> {
  const [r] = await db.query(
    `select subject_key, author_id, author_name, text, permalink, reasons, content_hash,
       captured_at, purged_at, purge_reason
     from comment_snapshot where subject_key = $1`,
    [subjectKey],
  )
  if (!r) return null
  return {
    subjectKey: String(r.subject_key),
    authorId: (r.author_id ?? null) as string | null,
    authorName: (r.author_name ?? null) as string | null,
    text: (r.text ?? null) as string | null,
    permalink: (r.permalink ?? null) as string | null,
    reasons: (r.reasons ?? []) as SnapshotReason[],
    contentHash: String(r.content_hash),
    capturedAt: isoOf(r.captured_at),
    purgedAt: r.purged_at == null ? null : isoOf(r.purged_at),
    purgeReason: (r.purge_reason ?? null) as string | null,
  }
}
