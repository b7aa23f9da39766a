/** Comments as the pipeline records them, with a moderator's verdict, for the learning tests. */
import { createHash } from 'node:crypto'
import { type Db, recordEvent, saveSnapshot } from '../../src/audit/index.js'

let n = 0

export async function seedDecided(
  db: Db,
  opts: {
    accountId?: string
    text: string
    authorName?: string
    decision: 'allow' | 'act' | 'review'
    categories?: string[]
    /** a person sent the (allowed) comment to review, naming these categories */
    reported?: { by: string; categories: string[] }
    verdict?: 'keep' | 'hide' | 'remove' | 'ban'
    at: string
  },
): Promise<string> {
  n++
  const commentId = `l${n}-${Date.now().toString(36)}`
  const subjectKey = `facebook.${commentId}`
  const contentHash = createHash('sha256').update(opts.text).digest('hex')
  const base = {
    subjectKey,
    platform: 'facebook' as const,
    commentId,
    postId: 'post-1',
    authorId: `author-${n}`,
    accountId: opts.accountId ?? 'cllr-a',
  }
  const later = (ms: number) => new Date(Date.parse(opts.at) + ms).toISOString()
  await db.transaction(async (tx) => {
    await saveSnapshot(tx, {
      subjectKey,
      authorId: base.authorId,
      authorName: opts.authorName ?? 'Pat Example',
      text: opts.text,
      contentHash,
      capturedAt: opts.at,
    })
    const received = await recordEvent(tx, {
      ...base,
      type: 'comment.received',
      actor: { kind: 'platform', id: 'facebook' },
      meta: { contentHash },
      dedupeKey: `${subjectKey}/received`,
      at: opts.at,
    })
    const decided = await recordEvent(tx, {
      ...base,
      type: 'decision.made',
      actor: { kind: 'policy', id: 'policy-v1' },
      categories: opts.categories ?? [],
      meta: { decision: opts.decision, action: opts.decision === 'act' ? 'hide' : null },
      causedBy: received.event.id,
      dedupeKey: `${subjectKey}/decided`,
      at: later(1000),
    })
    let cause = decided.event.id
    if (opts.reported || opts.decision !== 'allow') {
      const requested = await recordEvent(tx, {
        ...base,
        type: 'review.requested',
        actor: opts.reported
          ? { kind: 'moderator', id: `web/${opts.reported.by}` }
          : { kind: 'policy', id: 'policy-v1' },
        categories: opts.reported?.categories ?? opts.categories ?? [],
        meta: {},
        causedBy: cause,
        dedupeKey: `${subjectKey}/requested`,
        at: later(2000),
      })
      cause = requested.event.id
    }
    if (opts.verdict) {
      await recordEvent(tx, {
        ...base,
        type: 'review.resolved',
        actor: { kind: 'moderator', id: 'slack/U0MOD' },
        reason: 'fair comment on a public figure',
        meta: { verdict: opts.verdict },
        causedBy: cause,
        dedupeKey: `${subjectKey}/resolved`,
        at: later(3000),
      })
    }
  })
  return subjectKey
}
