import { createHash } from 'node:crypto'
import type { CommentEnvelope, CommentVerb } from '../../pipeline/messages.js'
import {
  FacebookChangeSchema,
  type FacebookCommentValue,
  FacebookCommentValueSchema,
  type FacebookWebhookBody,
} from './payload.js'

export type FacebookSkipReason =
  | 'not_page_object'
  | 'unknown_account'
  | 'no_changes'
  | 'not_feed'
  | 'not_comment'
  | 'invalid_change'
  | 'unsupported_verb'
  | 'own_comment'

export type FacebookSkip = { reason: FacebookSkipReason; pageId?: string; commentId?: string }

export type FacebookNormaliseOptions = {
  isKnownPage(pageId: string): boolean
  /** ISO time the delivery arrived; used when a change carries no created_time */
  receivedAt: string
}

/** Meta's comment verbs mapped onto ours; `edit` and `delete` appear in older payloads. */
const VERBS: Record<string, CommentVerb> = {
  add: 'add',
  edited: 'edited',
  edit: 'edited',
  remove: 'remove',
  delete: 'remove',
  hide: 'hide',
  unhide: 'unhide',
}

/**
 * A Page webhook body → one envelope per comment change. Pure. Everything not understood is
 * listed in `skipped` with a reason instead of failing the batch: Meta would redeliver a
 * rejected batch for 36 hours, and the comments we do understand would wait with it.
 */
export function fromFacebookWebhook(
  body: FacebookWebhookBody,
  opts: FacebookNormaliseOptions,
): { comments: CommentEnvelope[]; skipped: FacebookSkip[] } {
  const comments: CommentEnvelope[] = []
  const skipped: FacebookSkip[] = []
  if (body.object !== 'page') {
    for (const entry of body.entry) skipped.push({ reason: 'not_page_object', pageId: entry.id })
    return { comments, skipped }
  }
  for (const entry of body.entry) {
    const pageId = entry.id
    if (!opts.isKnownPage(pageId)) {
      skipped.push({ reason: 'unknown_account', pageId })
      continue
    }
    // @NOTE with "Include values" off Meta sends changed_fields[] only: nothing to moderate
    if (!entry.changes?.length) {
      skipped.push({ reason: 'no_changes', pageId })
      continue
    }
    for (const raw of entry.changes) {
      const result = fromChange(raw, pageId, opts.receivedAt)
      if ('reason' in result) skipped.push(result)
      else comments.push(result)
    }
  }
  return { comments, skipped }
}

function fromChange(
  raw: unknown,
  pageId: string,
  receivedAt: string,
): CommentEnvelope | FacebookSkip {
  const change = FacebookChangeSchema.safeParse(raw)
  if (!change.success) return { reason: 'invalid_change', pageId }
  if (change.data.field !== 'feed') return { reason: 'not_feed', pageId }
  const item = (change.data.value as { item?: unknown } | null)?.item
  if (item !== 'comment') return { reason: 'not_comment', pageId }
  const parsed = FacebookCommentValueSchema.safeParse(change.data.value)
  if (!parsed.success) return { reason: 'invalid_change', pageId }
  const value = parsed.data
  const verb = VERBS[value.verb]
  if (!verb) return { reason: 'unsupported_verb', pageId, commentId: value.comment_id }
  if (value.from.id === pageId)
    return { reason: 'own_comment', pageId, commentId: value.comment_id }
  return toEnvelope(value, verb, pageId, receivedAt)
}

function toEnvelope(
  value: FacebookCommentValue,
  verb: CommentVerb,
  pageId: string,
  receivedAt: string,
): CommentEnvelope {
  // @NOTE sticker- and photo-only comments have no message; they still get a (empty) decision
  const text = value.message ?? ''
  const postId = value.post_id ?? null
  return {
    v: 1,
    platform: 'facebook',
    verb,
    subjectKey: `facebook.${value.comment_id}`,
    commentId: value.comment_id,
    postId,
    // @NOTE a top-level comment names the post as its parent; only a reply has a real parent
    parentId: value.parent_id && value.parent_id !== postId ? value.parent_id : null,
    accountId: pageId,
    author: { id: value.from.id, name: value.from.name ?? null },
    text,
    permalink: `https://www.facebook.com/${value.comment_id}`,
    createdAt: toIso(value.created_time) ?? receivedAt,
    contentHash: createHash('sha256').update(text).digest('hex'),
    source: 'webhook',
  }
}

function toIso(time: number | string | undefined): string | null {
  if (time === undefined) return null
  const date = typeof time === 'number' ? new Date(time * 1000) : new Date(time)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
