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
  const [result] = await saveSnapshots(tx, [input])
  return result as { stored: boolean }
}

/**
 * saveSnapshot for many comments in one statement, with the same outcome as calling it once per
 * input, in order: each input says whether it replaced what was there before it.
 */
export async function saveSnapshots(
  tx: Db,
  inputs: SnapshotInput[],
): Promise<{ stored: boolean }[]> {
  const parsed = inputs.map(parseSnapshot)
  if (parsed.length === 0) return []
  // @NOTE one row per comment (ON CONFLICT may not touch a row twice): its newest version, the
  // first of equals, which is the one a run of saveSnapshot calls would have left
  const newest = new Map<string, ParsedSnapshot>()
  for (const s of parsed) {
    const kept = newest.get(s.subjectKey)
    if (!kept || kept.capturedMs < s.capturedMs) newest.set(s.subjectKey, s)
  }
  const rows = await tx.query<{ subject_key: string; prior: unknown }>(SAVE_SNAPSHOTS, [
    JSON.stringify([...newest.values()].map(snapshotRecord)),
  ])
  const latest = new Map<string, number>()
  for (const r of rows) if (r.prior != null) latest.set(r.subject_key, Date.parse(isoOf(r.prior)))
  return parsed.map((s) => {
    const stored = s.capturedMs > (latest.get(s.subjectKey) ?? -Infinity)
    if (stored) latest.set(s.subjectKey, s.capturedMs)
    return { stored }
  })
}

type ParsedSnapshot = z.output<typeof SnapshotInputSchema> & { capturedMs: number }

function parseSnapshot(input: SnapshotInput): ParsedSnapshot {
  const parsed = SnapshotInputSchema.safeParse(input)
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ')
    throw new AppError('message_invalid', `invalid comment snapshot (${fields})`)
  }
  return { ...parsed.data, capturedMs: Date.parse(parsed.data.capturedAt) }
}

function snapshotRecord(s: ParsedSnapshot): Record<string, unknown> {
  return {
    subject_key: s.subjectKey,
    author_id: s.authorId ?? null,
    author_name: s.authorName ?? null,
    text: s.text,
    permalink: s.permalink ?? null,
    content_hash: s.contentHash,
    captured_at: new Date(s.capturedMs).toISOString(),
    reasons: s.reasons ?? null,
  }
}

// @NOTE `prior` reads the rows as they were before this statement (every part of one statement
// sees the same snapshot): each input is stored when it is newer than those and than the inputs
// before it, as with one saveSnapshot call per input.
const SAVE_SNAPSHOTS = `with input as (
    select * from jsonb_to_recordset($1::jsonb) as r(subject_key text, author_id text,
      author_name text, text text, permalink text, content_hash text, captured_at timestamptz,
      reasons jsonb)
  ),
  prior as (
    select c.subject_key, c.captured_at from comment_snapshot c
    where c.subject_key in (select subject_key from input)
  ),
  saved as (
    insert into comment_snapshot (subject_key, author_id, author_name, text, permalink,
      content_hash, captured_at, reasons)
    select subject_key, author_id, author_name, text, permalink, content_hash, captured_at,
      reasons
    from input
    on conflict (subject_key) do update set
      author_id = excluded.author_id, author_name = excluded.author_name, text = excluded.text,
      permalink = excluded.permalink, content_hash = excluded.content_hash,
      reasons = excluded.reasons,
      captured_at = excluded.captured_at, purged_at = null, purge_reason = null
    where comment_snapshot.captured_at < excluded.captured_at
  )
  select subject_key, captured_at as prior from prior`

export async function getSnapshot(db: Db, subjectKey: string): Promise<CommentSnapshot | null> {
  return (await getSnapshots(db, [subjectKey])).get(subjectKey) ?? null
}

/** The snapshots of many comments in one query (a page of the audit log, an export batch). */
export async function getSnapshots(
  db: Db,
  subjectKeys: string[],
): Promise<Map<string, CommentSnapshot>> {
  if (subjectKeys.length === 0) return new Map()
  const rows = await db.query(
    `select subject_key, author_id, author_name, text, permalink, reasons, content_hash,
       captured_at, purged_at, purge_reason
     from comment_snapshot where subject_key = any($1::text[])`,
    [subjectKeys],
  )
  return new Map(rows.map((r) => [String(r.subject_key), snapshotOf(r)]))
}

function snapshotOf(r: Record<string, unknown>): CommentSnapshot {
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
