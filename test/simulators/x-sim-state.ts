import { createXOAuthState, type XSimClient } from './x-sim-oauth-state.js'

/** The X simulator's world: users with tokens and tiers, tweets, mutes, blocks, hidden replies. */

export type XSimTier = 'free' | 'basic' | 'pro' | 'enterprise'

export type XSimUser = {
  id: string
  username: string
  name: string
  token?: string
  tier: XSimTier
}

export type XSimTweet = {
  id: string
  authorId: string
  text: string
  createdAt: string
  conversationId: string
  /** the tweet replied to, if any */
  inReplyToTweetId: string | null
  inReplyToUserId: string | null
  retweetOf: string | null
  /** ids of users mentioned with @username in the text */
  mentions: string[]
  hidden: boolean
}

export type SeedTweet = {
  authorId: string
  text: string
  replyTo?: string
  retweetOf?: string
  createdAt?: string
}

export type XSimState = ReturnType<typeof createXSimState>

/** Snowflake-like ids: numeric, increasing, longer than 2^53 like the real ones. */
let sequence = 1_870_000_000_000_000_000n

export function createXSimState(client?: XSimClient) {
  const users = new Map<string, XSimUser>()
  // OAuth 2.0 (x-sim-oauth-state.ts): clients, codes, minted access and refresh tokens
  const oauth = createXOAuthState(client)
  const tweets = new Map<string, XSimTweet>()
  const muted = new Map<string, Set<string>>()
  const blocked = new Map<string, Set<string>>()

  const state = {
    users,
    tweets,
    muted,
    blocked,
    oauth,
    addUser(user: {
      id?: string
      username: string
      name?: string
      token?: string
      tier?: XSimTier
    }) {
      const id = user.id ?? String(1_000 + users.size)
      const created: XSimUser = {
        id,
        username: user.username,
        name: user.name ?? user.username,
        tier: user.tier ?? 'basic',
        ...(user.token ? { token: user.token } : {}),
      }
      users.set(id, created)
      return created
    },
    userForToken(token: string | null): XSimUser | null {
      if (!token) return null
      for (const user of users.values()) if (user.token === token) return user
      // an access token minted by the token endpoint acts for its user until it expires
      const minted = oauth.userIdFor(token)
      return minted ? (users.get(minted) ?? null) : null
    },
    userByName(username: string): XSimUser | undefined {
      const lower = username.toLowerCase()
      for (const user of users.values()) if (user.username.toLowerCase() === lower) return user
      return undefined
    },
    addTweet(seed: SeedTweet): XSimTweet {
      if (!users.has(seed.authorId)) throw new Error(`no user ${seed.authorId}`)
      const parent = seed.replyTo ? tweets.get(seed.replyTo) : undefined
      if (seed.replyTo && !parent) throw new Error(`no tweet ${seed.replyTo} to reply to`)
      sequence += 4_096n
      const id = String(sequence)
      const mentions = [...seed.text.matchAll(/@(\w{1,15})/g)]
        .map((m) => state.userByName(m[1] ?? '')?.id)
        .filter((u): u is string => Boolean(u))
      const tweet: XSimTweet = {
        id,
        authorId: seed.authorId,
        text: seed.text,
        createdAt: seed.createdAt ?? new Date().toISOString(),
        conversationId: parent?.conversationId ?? id,
        inReplyToTweetId: parent?.id ?? null,
        inReplyToUserId: parent?.authorId ?? null,
        retweetOf: seed.retweetOf ?? null,
        mentions,
        hidden: false,
      }
      tweets.set(id, tweet)
      return tweet
    },
    tweet(id: string): XSimTweet | undefined {
      return tweets.get(id)
    },
    /** whether the tweet is addressed to the user: a reply to them, or an @mention */
    mentionsUser(tweet: XSimTweet, userId: string): boolean {
      return tweet.inReplyToUserId === userId || tweet.mentions.includes(userId)
    },
    isMuted(userId: string, targetId: string): boolean {
      return muted.get(userId)?.has(targetId) ?? false
    },
    isBlocked(userId: string, targetId: string): boolean {
      return blocked.get(userId)?.has(targetId) ?? false
    },
    relate(kind: 'muted' | 'blocked', userId: string, targetId: string, on: boolean): void {
      const map = kind === 'muted' ? muted : blocked
      const set = map.get(userId) ?? new Set<string>()
      if (on) set.add(targetId)
      else set.delete(targetId)
      map.set(userId, set)
    },
  }
  return state
}

/** A tweet in v2 shape, with only the requested tweet.fields (X returns id and text by default). */
export function v2TweetJson(tweet: XSimTweet, fields: Set<string>): Record<string, unknown> {
  const refs = [
    ...(tweet.inReplyToTweetId ? [{ type: 'replied_to', id: tweet.inReplyToTweetId }] : []),
    ...(tweet.retweetOf ? [{ type: 'retweeted', id: tweet.retweetOf }] : []),
  ]
  const all: Record<string, unknown> = {
    author_id: tweet.authorId,
    conversation_id: tweet.conversationId,
    created_at: tweet.createdAt,
    ...(tweet.inReplyToUserId ? { in_reply_to_user_id: tweet.inReplyToUserId } : {}),
    ...(refs.length ? { referenced_tweets: refs } : {}),
    ...(tweet.mentions.length
      ? { entities: { mentions: tweet.mentions.map((id) => ({ id })) } }
      : {}),
  }
  const out: Record<string, unknown> = {
    id: tweet.id,
    text: tweet.text,
    edit_history_tweet_ids: [tweet.id],
  }
  for (const [key, value] of Object.entries(all)) if (fields.has(key)) out[key] = value
  return out
}

/** A tweet in the v1.1 shape Account Activity delivers. */
export function v1TweetJson(tweet: XSimTweet, state: XSimState): Record<string, unknown> {
  const author = state.users.get(tweet.authorId)
  const mentioned = tweet.mentions.map((id) => state.users.get(id)).filter(Boolean) as XSimUser[]
  const created = new Date(tweet.createdAt)
  return {
    created_at: created
      .toUTCString()
      .replace(/^(\w+), (\d+) (\w+) (\d+) (\S+) GMT$/, '$1 $3 $2 $5 +0000 $4'),
    id: Number(tweet.id),
    id_str: tweet.id,
    text: tweet.text,
    truncated: false,
    in_reply_to_status_id_str: tweet.inReplyToTweetId,
    in_reply_to_user_id_str: tweet.inReplyToUserId,
    user: { id_str: tweet.authorId, screen_name: author?.username, name: author?.name },
    entities: {
      user_mentions: mentioned.map((u) => ({
        id_str: u.id,
        screen_name: u.username,
        name: u.name,
      })),
    },
    ...(tweet.retweetOf ? { retweeted_status: { id_str: tweet.retweetOf } } : {}),
    timestamp_ms: String(created.getTime()),
  }
}
