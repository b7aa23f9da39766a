import { createHash } from 'node:crypto'
import type { CommentEnvelope } from './messages.js'

/** What had to be replaced in a comment for Postgres to store it. */
export type TextRepair = 'nul' | 'lone_surrogate'

const REPLACEMENT = '\uFFFD'
// a high surrogate not followed by a low one, or a low one not preceded by a high one
const LONE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]'
const LONE_SURROGATE = new RegExp(LONE)
const LONE_SURROGATES = new RegExp(LONE, 'g')

/**
 * Text as Postgres can store it. @NOTE NUL (a valid JSON escape) cannot live in a text or jsonb
 * value, nor can a lone UTF-16 surrogate in jsonb; both become U+FFFD, and everything else the
 * author wrote is kept exactly.
 */
export function storableText(text: string): { text: string; repairs: TextRepair[] } {
  const repairs: TextRepair[] = []
  let out = text
  if (out.includes('\u0000')) {
    out = out.replaceAll('\u0000', REPLACEMENT)
    repairs.push('nul')
  }
  if (LONE_SURROGATE.test(out)) {
    out = out.replace(LONE_SURROGATES, REPLACEMENT)
    repairs.push('lone_surrogate')
  }
  return { text: out, repairs }
}

/**
 * The comment with every string Postgres could refuse repaired, at the pipeline's door. The
 * text's hash follows the repaired text (what is stored is what the hash covers), and
 * `repaired` says what was replaced so the audit record can say so.
 */
export function storableComment(c: CommentEnvelope): CommentEnvelope {
  const repairs = new Set<TextRepair>(c.repaired ?? [])
  const fix = (value: string) => {
    const r = storableText(value)
    for (const x of r.repairs) repairs.add(x)
    return r.text
  }
  const text = storableText(c.text)
  for (const x of text.repairs) repairs.add(x)
  const fixed: CommentEnvelope = {
    ...c,
    subjectKey: fix(c.subjectKey),
    commentId: fix(c.commentId),
    postId: c.postId === null ? null : fix(c.postId),
    parentId: c.parentId === null ? null : fix(c.parentId),
    accountId: fix(c.accountId),
    author: { id: fix(c.author.id), name: c.author.name === null ? null : fix(c.author.name) },
    text: text.text,
    permalink: c.permalink === null ? null : fix(c.permalink),
    createdAt: fix(c.createdAt),
  }
  if (repairs.size === 0) return c
  if (text.repairs.length > 0)
    fixed.contentHash = createHash('sha256').update(text.text).digest('hex')
  fixed.repaired = [...repairs]
  return fixed
}
