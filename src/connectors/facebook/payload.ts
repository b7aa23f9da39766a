import { z } from 'zod'

/** Graph ids are strings, but a hand-written or old payload may carry a number. */
const IdSchema = z.union([z.string().min(1), z.number()]).transform(String)

/**
 * The outer `object: "page"` body. Only the envelope is checked here: each change is parsed on
 * its own (see FacebookCommentChangeSchema), so one odd change never rejects the whole batch.
 */
export const FacebookWebhookBodySchema = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: IdSchema,
      time: z.number().optional(),
      changes: z.array(z.unknown()).optional(),
    }),
  ),
})
export type FacebookWebhookBody = z.infer<typeof FacebookWebhookBodySchema>

export const FacebookChangeSchema = z.object({ field: z.string(), value: z.unknown() })

/** The `value` of a `feed` change about a comment: only the fields we read. */
export const FacebookCommentValueSchema = z.object({
  item: z.literal('comment'),
  verb: z.string(),
  comment_id: IdSchema,
  post_id: IdSchema.optional(),
  parent_id: IdSchema.optional(),
  from: z.object({ id: IdSchema, name: z.string().optional() }),
  message: z.string().optional(),
  /** Unix seconds in webhooks; ISO (`2025-03-22T18:20:04+0000`) when copied from a Graph GET */
  created_time: z.union([z.number(), z.string()]).optional(),
})
export type FacebookCommentValue = z.infer<typeof FacebookCommentValueSchema>
