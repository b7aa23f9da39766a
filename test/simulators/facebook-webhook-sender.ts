import { createHmac } from 'node:crypto'
import type { GraphSimComment } from './graph-sim-state.js'

/** A comment change to put in a webhook body (a seeded GraphSimComment also fits). */
export type FacebookCommentSpec = {
  pageId: string
  commentId: string
  postId?: string
  parentId?: string
  from: { id: string; name?: string }
  message?: string
  verb?: 'add' | 'edited' | 'remove' | 'hide' | 'unhide'
  createdTime?: number
}

/**
 * An `object: "page"` body with one entry per Page (in first-seen order) and one `feed`
 * change per comment, as Meta batches them.
 */
export function facebookCommentBody(
  comments: (FacebookCommentSpec | GraphSimComment)[],
  opts: { verb?: FacebookCommentSpec['verb']; time?: number } = {},
): { object: 'page'; entry: { id: string; time: number; changes: unknown[] }[] } {
  const time = opts.time ?? Math.floor(Date.now() / 1000)
  const entries = new Map<string, { id: string; time: number; changes: unknown[] }>()
  for (const item of comments) {
    const spec = toSpec(item)
    const entry = entries.get(spec.pageId) ?? { id: spec.pageId, time, changes: [] }
    entries.set(spec.pageId, entry)
    const postId = spec.postId ?? `${spec.pageId}_${spec.commentId.split('_')[0]}`
    entry.changes.push({
      field: 'feed',
      value: {
        item: 'comment',
        verb: spec.verb ?? opts.verb ?? 'add',
        comment_id: spec.commentId,
        post_id: postId,
        parent_id: spec.parentId ?? postId,
        from: spec.from,
        ...(spec.message === undefined ? {} : { message: spec.message }),
        created_time: spec.createdTime ?? time,
        post: { id: postId, status_type: 'mobile_status_update', is_published: true },
      },
    })
  }
  return { object: 'page', entry: [...entries.values()] }
}

function toSpec(item: FacebookCommentSpec | GraphSimComment): FacebookCommentSpec {
  if ('commentId' in item) return item
  return {
    pageId: item.pageId,
    commentId: item.id,
    postId: item.postId,
    parentId: item.parentId,
    from: item.from,
    message: item.message,
    createdTime: item.createdTime,
  }
}

/** JSON as Meta writes it: non-ASCII escaped as \uXXXX, so only the raw bytes verify. */
export function metaJson(body: unknown): string {
  return JSON.stringify(body).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

export type WebhookSendResult = { status: number; attempts: number; body: string }

/**
 * POSTs raw JSON with a signature header (none when null), retrying non-200 answers the way
 * the platforms do, only faster. Shared by the Facebook and X senders.
 */
export async function postWithRetries(
  url: string,
  raw: string,
  signatureHeader: string,
  signature: string | null,
  opts: { retries?: number; retryDelayMs?: number },
): Promise<WebhookSendResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (signature !== null) headers[signatureHeader] = signature
  let attempts = 0
  for (;;) {
    attempts++
    const res = await fetch(url, { method: 'POST', headers, body: raw })
    const text = await res.text()
    if (res.status === 200 || attempts > (opts.retries ?? 0)) {
      return { status: res.status, attempts, body: text }
    }
    await new Promise((resolve) => setTimeout(resolve, opts.retryDelayMs ?? 50))
  }
}

/**
 * POSTs a body signed like Meta (X-Hub-Signature-256 over the exact bytes). Retries non-200
 * answers like Meta does, only faster. `signature: null` sends none; a string sends that one.
 */
export async function sendFacebookWebhook(
  url: string,
  body: unknown,
  appSecret: string,
  opts: { retries?: number; retryDelayMs?: number; signature?: string | null } = {},
): Promise<WebhookSendResult> {
  const raw = typeof body === 'string' ? body : metaJson(body)
  const signature =
    opts.signature === undefined
      ? `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`
      : opts.signature
  return postWithRetries(url, raw, 'x-hub-signature-256', signature, opts)
}
