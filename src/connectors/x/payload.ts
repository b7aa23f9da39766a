import { z } from 'zod'

/** A v1.1 Tweet as Account Activity delivers it: only the fields we read. */
export const XV1TweetSchema = z.object({
  id_str: z.string().min(1),
  created_at: z.string().optional(),
  timestamp_ms: z.union([z.string(), z.number()]).optional(),
  text: z.string().optional(),
  full_text: z.string().optional(),
  truncated: z.boolean().optional(),
  extended_tweet: z.object({ full_text: z.string() }).optional(),
  in_reply_to_status_id_str: z.string().nullish(),
  in_reply_to_user_id_str: z.string().nullish(),
  user: z.object({
    id_str: z.string().min(1),
    screen_name: z.string().optional(),
    name: z.string().optional(),
  }),
  entities: z
    .object({ user_mentions: z.array(z.object({ id_str: z.string() })).optional() })
    .optional(),
  retweeted_status: z.unknown().optional(),
})
export type XV1Tweet = z.infer<typeof XV1TweetSchema>

/**
 * The Account Activity body. Events other than tweet_create_events (likes, follows, DMs) are
 * allowed and ignored; each tweet is parsed on its own so one odd tweet never rejects a batch.
 */
export const XActivityBodySchema = z.object({
  for_user_id: z.string().min(1),
  // @NOTE the docs show the string "false"; client code often sends a boolean
  user_has_blocked: z.union([z.boolean(), z.string()]).optional(),
  tweet_create_events: z.array(z.unknown()).optional(),
})
export type XActivityBody = z.infer<typeof XActivityBodySchema>

/** A v2 Tweet from mentions or search, with the tweet.fields the client asks for. */
export const XV2TweetSchema = z.object({
  id: z.string().min(1),
  text: z.string(),
  author_id: z.string().optional(),
  conversation_id: z.string().optional(),
  in_reply_to_user_id: z.string().optional(),
  created_at: z.string().optional(),
  referenced_tweets: z.array(z.object({ type: z.string(), id: z.string() })).optional(),
  note_tweet: z.object({ text: z.string() }).optional(),
  entities: z
    .object({ mentions: z.array(z.object({ id: z.string().optional() })).optional() })
    .optional(),
})
export type XV2Tweet = z.infer<typeof XV2TweetSchema>

export const XV2IncludesSchema = z.object({
  users: z
    .array(
      z.object({ id: z.string(), name: z.string().optional(), username: z.string().optional() }),
    )
    .optional(),
})
export type XV2Includes = z.infer<typeof XV2IncludesSchema>
