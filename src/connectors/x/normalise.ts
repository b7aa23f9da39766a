import { createHash } from 'node:crypto'
import type { CommentEnvelope } from '../../pipeline/messages.js'
import {
  type XActivityBody,
  type XV1Tweet,
  XV1TweetSchema,
  XV2IncludesSchema,
  XV2TweetSchema,
} from './payload.js'

export type XSkipReason =
  | 'unknown_account'
  | 'invalid_event'
  | 'own_post'
  | 'retweet'
  | 'not_addressed'

export type XSkip = { reason: XSkipReason; accountId?: string; tweetId?: string }

export type XAccountRef = { id: string; username?: string | null }

/**
 * Account Activity body → one envelope per reply to, or mention of, the subscribed account.
 * Pure. The account's own tweets and retweets are skipped, as is anything not addressed to it.
 */
export function fromXActivity(
  body: XActivityBody,
  opts: { isKnownAccount(userId: string): boolean; receivedAt: string },
): { comments: CommentEnvelope[]; skipped: XSkip[] } {
  const comments: CommentEnvelope[] = []
  const skipped: XSkip[] = []
  const accountId = body.for_user_id
  const events = body.tweet_create_events ?? []
  if (events.length === 0) return { comments, skipped }
  if (!opts.isKnownAccount(accountId)) {
    skipped.push({ reason: 'unknown_account', accountId })
    return { comments, skipped }
  }
  for (const raw of events) {
    const parsed = XV1TweetSchema.safeParse(raw)
    if (!parsed.success) {
      skipped.push({ reason: 'invalid_event', accountId })
      continue
    }
    const tweet = parsed.data
    const reason = skipReasonV1(tweet, accountId)
    if (reason) skipped.push({ reason, accountId, tweetId: tweet.id_str })
    else comments.push(fromV1Tweet(tweet, accountId, opts.receivedAt))
  }
  return { comments, skipped }
}

function skipReasonV1(tweet: XV1Tweet, accountId: string): XSkipReason | null {
  if (tweet.user.id_str === accountId) return 'own_post'
  if (tweet.retweeted_status !== undefined) return 'retweet'
  const isReply = tweet.in_reply_to_user_id_str === accountId
  const mentions = tweet.entities?.user_mentions?.some((m) => m.id_str === accountId) ?? false
  return isReply || mentions ? null : 'not_addressed'
}

function fromV1Tweet(tweet: XV1Tweet, accountId: string, receivedAt: string): CommentEnvelope {
  const text = tweet.extended_tweet?.full_text ?? tweet.full_text ?? tweet.text ?? ''
  const parent = tweet.in_reply_to_status_id_str ?? null
  const createdAt =
    toIso(tweet.timestamp_ms === undefined ? undefined : Number(tweet.timestamp_ms)) ??
    toIso(tweet.created_at) ??
    receivedAt
  return envelope({
    id: tweet.id_str,
    // @NOTE v1.1 tweets carry no conversation id; the tweet replied to is the closest post
    postId: parent,
    parentId: parent,
    accountId,
    author: { id: tweet.user.id_str, name: tweet.user.name ?? tweet.user.screen_name ?? null },
    username: tweet.user.screen_name ?? null,
    text,
    createdAt,
    source: 'webhook',
  })
}

/**
 * v2 tweets (mentions timeline or conversation search, with the author_id expansion) →
 * envelopes. The account's own tweets and retweets are dropped; invalid items are skipped.
 */
export function fromXPoll(
  tweets: readonly unknown[],
  includes: unknown,
  account: XAccountRef,
  opts: { receivedAt?: string } = {},
): CommentEnvelope[] {
  const users = new Map(
    (XV2IncludesSchema.safeParse(includes ?? {}).data?.users ?? []).map((u) => [u.id, u]),
  )
  const receivedAt = opts.receivedAt ?? new Date().toISOString()
  const out: CommentEnvelope[] = []
  for (const raw of tweets) {
    const parsed = XV2TweetSchema.safeParse(raw)
    if (!parsed.success) continue
    const tweet = parsed.data
    if (!tweet.author_id || tweet.author_id === account.id) continue
    const refs = tweet.referenced_tweets ?? []
    if (refs.some((r) => r.type === 'retweeted')) continue
    const user = users.get(tweet.author_id)
    out.push(
      envelope({
        id: tweet.id,
        postId: tweet.conversation_id ?? null,
        parentId: refs.find((r) => r.type === 'replied_to')?.id ?? null,
        accountId: account.id,
        author: { id: tweet.author_id, name: user?.name ?? user?.username ?? null },
        username: user?.username ?? null,
        text: tweet.note_tweet?.text ?? tweet.text,
        createdAt: toIso(tweet.created_at) ?? receivedAt,
        source: 'poller',
      }),
    )
  }
  return out
}

function envelope(t: {
  id: string
  postId: string | null
  parentId: string | null
  accountId: string
  author: { id: string; name: string | null }
  username: string | null
  text: string
  createdAt: string
  source: CommentEnvelope['source']
}): CommentEnvelope {
  return {
    v: 1,
    platform: 'x',
    verb: 'add',
    subjectKey: `x.${t.id}`,
    commentId: t.id,
    postId: t.postId,
    parentId: t.parentId,
    accountId: t.accountId,
    author: t.author,
    text: t.text,
    permalink: t.username
      ? `https://x.com/${t.username}/status/${t.id}`
      : `https://x.com/i/web/status/${t.id}`,
    createdAt: t.createdAt,
    contentHash: createHash('sha256').update(t.text).digest('hex'),
    source: t.source,
  }
}

function toIso(time: number | string | undefined): string | null {
  if (time === undefined || time === '') return null
  const date = new Date(time)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
