import type { AuditEventInput } from '../audit/index.js'
import type { XClient } from '../connectors/x/client.js'
import { fromXPoll } from '../connectors/x/normalise.js'
import { PlatformError } from '../errors.js'
import { queueLogger } from '../logger.js'
import type { AccountRuntime } from './accounts.js'
import type { CommentEnvelope } from './messages.js'

export type ToJudge = { comment: CommentEnvelope; runtime: AccountRuntime }

export type UnconfirmedReason = 'not_found' | 'not_addressed' | 'lookup_refused'

export type Confirmation = {
  /** what to judge: X webhook tweets replaced by what the X API says they are */
  confirmed: ToJudge[]
  /** webhook tweets the API did not vouch for, as alert events to record (never judged) */
  alerts: AuditEventInput[]
  /** confirmed tweets whose delivery differed from the API (text or author) */
  mismatched: number
}

const LOOKUP_MAX = 100

/**
 * Reads every tweet that arrived by X webhook back from the X API, and keeps the API's text,
 * author and thread instead of the delivery's.
 * @NOTE a delivery is only as trustworthy as its signature, and a signature is only as safe as
 * the consumer secret and every place that signs with it. The API is the second witness: a
 * forged or altered delivery can put words in a resident's mouth, so nothing the API does not
 * return is judged, hidden, struck or recorded against anyone; it is recorded as an alert.
 * Polled tweets came from the API already and pass through.
 */
export async function confirmXDeliveries(
  items: ToJudge[],
  deliveryKey: string,
): Promise<Confirmation> {
  const out: Confirmation = { confirmed: [], alerts: [], mismatched: 0 }
  const byAccount = new Map<string, ToJudge[]>()
  for (const item of items) {
    if (item.comment.platform !== 'x' || item.comment.source !== 'webhook') {
      out.confirmed.push(item)
      continue
    }
    const id = item.runtime.account.id
    byAccount.set(id, [...(byAccount.get(id) ?? []), item])
  }
  for (const group of byAccount.values()) {
    for (let i = 0; i < group.length; i += LOOKUP_MAX) {
      await confirmChunk(group.slice(i, i + LOOKUP_MAX), deliveryKey, out)
    }
  }
  return out
}

async function confirmChunk(chunk: ToJudge[], deliveryKey: string, out: Confirmation) {
  const runtime = (chunk[0] as ToJudge).runtime
  const client = runtime.client as Partial<XClient>
  let found: Map<string, CommentEnvelope>
  try {
    if (typeof client.lookupTweets !== 'function') {
      throw new PlatformError('platform_forbidden', 'this X client cannot read tweets back', {
        platform: 'x',
        retryable: false,
      })
    }
    const page = await client.lookupTweets(chunk.map((c) => c.comment.commentId))
    const addressed = page.tweets.filter(
      (t) =>
        t.in_reply_to_user_id === runtime.platformId ||
        (t.entities?.mentions ?? []).some((m) => m.id === runtime.platformId),
    )
    const envelopes = fromXPoll(addressed, page.includes, { id: runtime.platformId })
    found = new Map(envelopes.map((e) => [e.commentId, e]))
    const returned = new Set(page.tweets.map((t) => t.id))
    for (const item of chunk) {
      const api = found.get(item.comment.commentId)
      if (!api) {
        const why = returned.has(item.comment.commentId) ? 'not_addressed' : 'not_found'
        out.alerts.push(unconfirmedAlert(item, why, deliveryKey))
        continue
      }
      const delivered = item.comment
      if (api.text !== delivered.text || api.author.id !== delivered.author.id) {
        out.mismatched++
        queueLogger.warn(
          { tweetId: delivered.commentId, accountId: runtime.account.id, deliveryKey },
          'x delivery differs from the X API; judging what the API returned',
        )
      }
      out.confirmed.push({
        runtime,
        comment: { ...api, source: 'webhook', permalink: api.permalink ?? delivered.permalink },
      })
    }
  } catch (err) {
    // @NOTE a retryable failure (X down, rate limited) fails the job, which BullMQ retries;
    // a refusal that no retry will cure is recorded instead of lost
    if (err instanceof PlatformError && !err.retryable) {
      for (const item of chunk)
        out.alerts.push(unconfirmedAlert(item, 'lookup_refused', deliveryKey))
      return
    }
    throw err
  }
}

const REASON_TEXT: Record<UnconfirmedReason, string> = {
  not_found: 'X did not return this tweet, so the delivery was not acted on',
  not_addressed: 'X says this tweet is not a reply to or mention of the account; not acted on',
  lookup_refused: 'X refused to read this tweet back, so the delivery was not acted on',
}

/**
 * @NOTE no commentId and no authorId: the claim is recorded for investigation, never as a
 * comment of the person it names, so it folds into no comment's status or evidence
 */
function unconfirmedAlert(item: ToJudge, why: UnconfirmedReason, deliveryKey: string) {
  const c = item.comment
  const event: AuditEventInput = {
    type: 'alert.raised',
    subjectKey: `x.unconfirmed.${c.commentId}`,
    platform: 'x',
    commentId: null,
    accountId: item.runtime.account.id,
    actor: { kind: 'system', id: 'x-read-back' },
    reason: REASON_TEXT[why],
    meta: {
      alert: 'unconfirmed_delivery',
      why,
      tweetId: c.commentId,
      claimedAuthorId: c.author.id,
      deliveredContentHash: c.contentHash,
      deliveryKey,
    },
    dedupeKey: `x.unconfirmed.${c.commentId}/${c.contentHash}`,
  }
  return event
}
