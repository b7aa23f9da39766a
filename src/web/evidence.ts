/**
 * Evidence bundles: everything recorded about an incident (one comment, one author on one
 * account, or one post's pile-on) with the original words, the decisions, and hashes a third
 * party can check: each text's sha256 against the hash the trail recorded when it arrived, each
 * event's chain hash, and one sha256 over the whole bundle.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import {
  type AuditEvent,
  canonicalJson,
  commentsOf,
  type Db,
  eventsForSubject,
  getSnapshot,
  type SnapshotReason,
  verifyChain,
} from '../audit/index.js'
import { AppError } from '../errors.js'

export const EvidenceScopeSchema = z.union([
  z.object({ comment: z.string().min(1) }).strict(),
  z.object({ account: z.string().min(1), author: z.string().min(1) }).strict(),
  z.object({ account: z.string().min(1), post: z.string().min(1) }).strict(),
])
export type EvidenceScope = z.infer<typeof EvidenceScopeSchema>

export type EvidenceComment = {
  subjectKey: string
  accountId: string | null
  platform: string
  commentId: string | null
  postId: string | null
  authorId: string | null
  authorName: string | null
  permalink: string | null
  text: string | null
  textPurgedAt: string | null
  /** sha256 of `text` as recorded on comment.received / comment.edited */
  recordedContentHashes: string[]
  textSha256: string | null
  textMatchesRecord: boolean | null
  reasons: SnapshotReason[]
  events: AuditEvent[]
}

export type EvidenceBundle = {
  kind: 'wardguard-evidence'
  version: 1
  generatedAt: string
  generatedBy: string
  scope: EvidenceScope
  comments: EvidenceComment[]
  chain: { ok: boolean; checked: number; firstBroken: unknown }
  /** sha256 of the canonical JSON of everything above */
  bundleSha256: string
}

const MAX_SUBJECTS = 500
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

export function parseEvidenceScope(raw: Record<string, string | undefined>): EvidenceScope {
  const cleaned = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''),
  )
  const parsed = EvidenceScopeSchema.safeParse(cleaned)
  if (!parsed.success) {
    throw new AppError(
      'message_invalid',
      'evidence needs --comment KEY, or --account ID with --author ID or --post ID',
    )
  }
  return parsed.data
}

async function subjectsOf(db: Db, scope: EvidenceScope): Promise<string[]> {
  if ('comment' in scope) return [scope.comment]
  const by = 'author' in scope ? { authorId: scope.author } : { postId: scope.post }
  return commentsOf(db, { accountId: scope.account, ...by }, MAX_SUBJECTS)
}

export async function buildEvidence(
  db: Db,
  scope: EvidenceScope,
  opts: { generatedBy: string; now?: Date; allowAccount?: (accountId: string | null) => boolean },
): Promise<EvidenceBundle> {
  const comments: EvidenceComment[] = []
  for (const key of await subjectsOf(db, scope)) {
    const events = await eventsForSubject(db, key)
    const first = events[0]
    if (!first || (opts.allowAccount && !opts.allowAccount(first.accountId))) continue
    const snap = await getSnapshot(db, key)
    const recorded = events
      .filter((e) => e.type === 'comment.received' || e.type === 'comment.edited')
      .map((e) => String(e.meta.contentHash ?? ''))
    const textSha256 = snap?.text != null ? sha256(snap.text) : null
    comments.push({
      subjectKey: key,
      accountId: first.accountId,
      platform: first.platform,
      commentId: first.commentId,
      postId: first.postId,
      authorId: first.authorId,
      authorName: snap?.authorName ?? null,
      permalink: snap?.permalink ?? null,
      text: snap?.text ?? null,
      textPurgedAt: snap?.purgedAt ?? null,
      recordedContentHashes: recorded,
      textSha256,
      textMatchesRecord: textSha256 === null ? null : recorded.includes(textSha256),
      reasons: snap?.reasons ?? [],
      events,
    })
  }
  if (comments.length === 0)
    throw new AppError('message_invalid', 'no recorded comments match this evidence scope')
  const chain = await verifyChain(db)
  const body = {
    kind: 'wardguard-evidence' as const,
    version: 1 as const,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    generatedBy: opts.generatedBy,
    scope,
    comments,
    chain: { ok: chain.ok, checked: chain.checked, firstBroken: chain.firstBroken ?? null },
  }
  return { ...body, bundleSha256: sha256(canonicalJson(body)) }
}

/** Checks a bundle read back from JSON: true when nothing in it was changed. */
export function bundleIntact(bundle: EvidenceBundle): boolean {
  const { bundleSha256, ...body } = bundle
  return sha256(canonicalJson(body)) === bundleSha256
}
