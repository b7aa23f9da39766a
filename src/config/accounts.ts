import { z } from 'zod'

/**
 * The YAML structure: the council, and each Facebook Page or X account Wardguard watches,
 * with its owner, its Slack review channel, who may moderate it and its policy overrides.
 * Secrets are never written here: an account either names the environment variable that holds its
 * token (`tokenEnv`) or, without it, takes its token from the encrypted store (src/accounts/),
 * where connecting the account from the web app or the CLI put it.
 */
const envName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, 'must be the NAME of an environment variable, e.g. FB_TOKEN_PATEL')

const ReviewSchema = z.object({
  channel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel id such as C0123ABCD'),
  moderators: z
    .array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id such as U0123ABCD'))
    .min(1, 'name at least one Slack user who may decide'),
  replyWithExplanation: z.boolean().default(false),
  escalateTo: z.string().optional(),
})

const base = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and hyphens'),
  name: z.string().min(1),
  owner: z.object({ name: z.string().min(1), email: z.email().optional() }),
  review: ReviewSchema,
  policy: z.record(z.string(), z.unknown()).optional(),
  tokenEnv: envName.optional(),
}

export const FacebookAccountSchema = z.object({
  ...base,
  platform: z.literal('facebook'),
  pageId: z.string().regex(/^\d+$/, 'a Facebook Page id is all digits'),
})

export const XAccountSchema = z.object({
  ...base,
  platform: z.literal('x'),
  userId: z.string().regex(/^\d+$/, 'an X user id is all digits'),
  handle: z.string().optional(),
  ingest: z.enum(['poll', 'webhook']).default('poll'),
  tier: z.enum(['free', 'basic', 'pro', 'enterprise']).default('basic'),
})

export const AccountSchema = z.discriminatedUnion('platform', [
  FacebookAccountSchema,
  XAccountSchema,
])
export type Account = z.infer<typeof AccountSchema>
export type FacebookAccount = z.infer<typeof FacebookAccountSchema>
export type XAccount = z.infer<typeof XAccountSchema>

export const ServiceFileSchema = z.object({
  council: z
    .object({
      name: z.string().min(1),
      contact: z.string().optional(),
      safetyContact: z.string().optional(),
    })
    .default({ name: 'Your council' }),
  accounts: z.array(AccountSchema).default([]),
})
export type ServiceFile = z.infer<typeof ServiceFileSchema>

/** The platform's own id of an account: Page id or X user id. */
export function platformIdOf(account: Account): string {
  return account.platform === 'facebook' ? account.pageId : account.userId
}
