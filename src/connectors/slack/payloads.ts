/**
 * The parts of Slack's interaction payloads that the review flow reads, checked with zod at the
 * door: a signature proves Slack sent it, not that it has the shape we expect.
 */
import { z } from 'zod'
import { reviewActionPattern } from './blocks.js'
import type { Verdict } from './types.js'

const UserSchema = z.object({
  id: z.string().min(1),
  username: z.string().optional(),
  name: z.string().optional(),
})

export const BlockActionsBodySchema = z.object({
  type: z.literal('block_actions'),
  user: UserSchema,
  trigger_id: z.string().min(1),
  container: z
    .object({ channel_id: z.string().optional(), message_ts: z.string().optional() })
    .optional(),
  channel: z.object({ id: z.string() }).optional(),
  message: z.object({ ts: z.string() }).optional(),
  actions: z
    .array(
      z.object({ action_id: z.string(), value: z.string().min(1), action_ts: z.string().min(1) }),
    )
    .min(1),
})
export type BlockActionsBody = z.infer<typeof BlockActionsBodySchema>

export const ViewSubmissionBodySchema = z.object({
  type: z.literal('view_submission'),
  user: UserSchema,
  view: z.object({
    id: z.string().min(1),
    callback_id: z.string(),
    private_metadata: z.string(),
    state: z.object({
      values: z.record(
        z.string(),
        z.record(
          z.string(),
          z.object({
            value: z.string().nullish(),
            selected_option: z.object({ value: z.string().max(150) }).nullish(),
          }),
        ),
      ),
    }),
  }),
})
export type ViewSubmissionBody = z.infer<typeof ViewSubmissionBodySchema>

export function userName(user: z.infer<typeof UserSchema>): string | null {
  return user.username ?? user.name ?? null
}

/** Where the clicked message lives: `container` is the documented place, `channel`/`message` the older one. */
export function messageRef(body: BlockActionsBody): { channel: string; ts: string } | null {
  const channel = body.container?.channel_id ?? body.channel?.id
  const ts = body.container?.message_ts ?? body.message?.ts
  return channel && ts ? { channel, ts } : null
}

export function verdictFromActionId(actionId: string): Verdict | null {
  const m = reviewActionPattern.exec(actionId)
  return m ? (m[1] as Verdict) : null
}

/**
 * @NOTE Slack redelivers the same click or submission with the same action_ts / view id, so the
 * key is a pure function of them and the lead's decide() can drop the second delivery.
 */
export function actionDedupeKey(userId: string, actionTs: string): string {
  return `slack.action.${userId}.${actionTs}`
}

export function viewDedupeKey(viewId: string): string {
  return `slack.view.${viewId}`
}
