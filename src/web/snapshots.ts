/** Comment text for many comments at once (a page, an export batch). */
import type { CommentSnapshot, Db, SnapshotReason } from '../audit/index.js'

export type TextSnapshot = Pick<
  CommentSnapshot,
  'subjectKey' | 'text' | 'authorName' | 'authorId' | 'permalink' | 'purgedAt' | 'purgeReason'
> & { reasons?: SnapshotReason[] }

/**
 * @NOTE one query per page, reading comment_snapshot directly: the store's getSnapshot is one
 * row per call, and a page of 200 would be 200 round trips.
 */
export async function snapshotsFor(db: Db, keys: string[]): Promise<Map<string, TextSnapshot>> {
  if (keys.length === 0) return new Map()
  const rows = await db.query<{
    subject_key: string
    text: string | null
    author_name: string | null
    author_id: string | null
    permalink: string | null
    purged_at: Date | string | null
    purge_reason: string | null
    reasons: SnapshotReason[] | null
  }>(
    `select subject_key, text, author_name, author_id, permalink, purged_at, purge_reason, reasons
     from comment_snapshot where subject_key = any($1::text[])`,
    [keys],
  )
  return new Map(
    rows.map((r) => [
      r.subject_key,
      {
        subjectKey: r.subject_key,
        text: r.text,
        authorName: r.author_name,
        authorId: r.author_id,
        permalink: r.permalink,
        purgedAt: r.purged_at ? new Date(r.purged_at).toISOString() : null,
        purgeReason: r.purge_reason,
        reasons: r.reasons ?? [],
      },
    ]),
  )
}
