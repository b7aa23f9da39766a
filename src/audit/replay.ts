/**
 * Stored comments for a replay (`wardguard policy diff`): each comment whose text retention
 * still keeps, with what the policy recorded about it, oldest first, a page at a time.
 */
import type { Db } from './db.js'
import { isoOf } from './rows.js'

export type StoredComment = {
  subjectKey: string
  accountId: string
  platform: 'facebook' | 'x'
  text: string
  authorId: string | null
  authorName: string | null
  /** the author's strikes when it was decided, so a replay sees the same repeat-offender state */
  strikes: number
  /** what the policy recorded then (allow, act, review) */
  recorded: string | null
  capturedAt: string
}

const PAGE = 500

export async function* storedComments(
  db: Db,
  opts: { since: string; accountId?: string },
): AsyncGenerator<StoredComment> {
  let after: [string, string] = ['-infinity', '']
  for (;;) {
    const rows = await db.query(
      `select c.subject_key, c.text, c.author_id, c.author_name, c.captured_at,
         d.account_id, d.platform, d.meta->>'strikes' as strikes, d.meta->>'decision' as recorded
       from comment_snapshot c
       join lateral (
         select x.account_id, x.platform, x.meta from moderation_event x
         where x.subject_key = c.subject_key and x.type = 'decision.made'
         order by x.id desc limit 1) d on true
       where c.text is not null and c.captured_at >= $1::timestamptz
         and (c.captured_at, c.subject_key) > ($2::timestamptz, $3::text)
         and ($4::text is null or d.account_id = $4::text)
       order by c.captured_at, c.subject_key
       limit ${PAGE}`,
      [opts.since, after[0], after[1], opts.accountId ?? null],
    )
    for (const r of rows) {
      yield {
        subjectKey: String(r.subject_key),
        accountId: String(r.account_id),
        platform: r.platform as StoredComment['platform'],
        text: String(r.text),
        authorId: (r.author_id ?? null) as string | null,
        authorName: (r.author_name ?? null) as string | null,
        strikes: Number(r.strikes ?? 0) || 0,
        recorded: (r.recorded ?? null) as string | null,
        capturedAt: isoOf(r.captured_at),
      }
    }
    const last = rows.at(-1)
    if (rows.length < PAGE || !last) return
    after = [isoOf(last.captured_at), String(last.subject_key)]
  }
}
