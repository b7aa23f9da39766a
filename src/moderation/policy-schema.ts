import { z } from 'zod'
import { CATEGORIES } from './types.js'

/**
 * The policy file (config/policy.yaml) and what an account may override under `policy:` in
 * config/wardguard.yaml. Messages are written for the council officer editing the YAML.
 */
const ACTION_MESSAGE = 'must be one of allow, hide, review'
export const ActionSchema = z.enum(['allow', 'review', 'hide'], { error: ACTION_MESSAGE })
export const CategorySchema = z.enum(CATEGORIES, {
  error: `must be one of ${CATEGORIES.join(', ')}`,
})

const CategoryPolicySchema = z
  .object({
    /** what happens when a rule is sure */
    action: ActionSchema,
    /** what happens when a rule says a person should judge */
    borderline: ActionSchema,
    /** tell the council's safety contact */
    escalate: z.boolean({ error: 'must be true or false' }),
    /** counts against the author as a strike */
    strike: z.boolean({ error: 'must be true or false' }),
  })
  .strict()

const categoryShape = Object.fromEntries(
  CATEGORIES.map((c) => [c, CategoryPolicySchema]),
) as Record<(typeof CATEGORIES)[number], typeof CategoryPolicySchema>
const CategoriesSchema = z.object(categoryShape).strict()
const PartialCategoriesSchema = z
  .object(
    Object.fromEntries(CATEGORIES.map((c) => [c, CategoryPolicySchema.partial()])) as Record<
      (typeof CATEGORIES)[number],
      ReturnType<typeof CategoryPolicySchema.partial>
    >,
  )
  .partial()
  .strict()

const Count = z
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
const TimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 09:00')
const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-04-01')
const DaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], {
  error: 'must be one of mon, tue, wed, thu, fri, sat, sun',
})
const TimezoneSchema = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz })
    return true
  } catch {
    return false
  }
}, 'must be an IANA time zone such as Europe/London')

export const BlockEntrySchema = z.union(
  [
    z.string().min(1, 'must not be empty'),
    z
      .object({
        text: z.string().min(1, 'must not be empty'),
        category: CategorySchema.default('profanity'),
        action: ActionSchema.default('hide'),
      })
      .strict(),
  ],
  { error: 'must be a word, or { text, category, action }' },
)

/** The settings a stricter profile (pre-election) may change. */
export const ProfileSchema = z
  .object({
    categories: PartialCategoriesSchema,
    mildProfanity: ActionSchema,
    mediumProfanity: ActionSchema,
    spamThreshold: Count,
  })
  .partial()
  .strict()

const StaffedHoursSchema = z
  .object({
    enabled: z.boolean({ error: 'must be true or false' }),
    timezone: TimezoneSchema,
    days: z.array(DaySchema),
    from: TimeSchema,
    to: TimeSchema,
  })
  .strict()

const PreElectionSchema = z
  .object({
    from: DateSchema.nullable(),
    to: DateSchema.nullable(),
    profile: ProfileSchema,
  })
  .strict()

const ExternalSchema = z
  .object({
    enabled: z.boolean({ error: 'must be true or false' }),
    url: z.url({ error: 'must be a URL' }).nullable(),
    timeoutMs: Count,
    /** a category scored at least this is hidden */
    hideAbove: z.number().min(0).max(1),
    /** a category scored at least this goes to review */
    reviewAbove: z.number().min(0).max(1),
  })
  .strict()

const RepeatOffendersSchema = z
  .object({ windowDays: Count, hideThreshold: Count, suggestBanThreshold: Count })
  .strict()
const PileOnSchema = z.object({ windowMinutes: Count, threshold: Count }).strict()

export const PolicyFileSchema = z
  .object({
    version: z.literal(1, { error: 'must be 1' }),
    /** folder of the lexicons, relative to the policy file */
    lexicons: z.string().min(1),
    /** the trained model file, relative to the policy file; null runs the rules alone */
    model: z.string().min(1).nullable().default(null),
    categories: CategoriesSchema,
    mildProfanity: ActionSchema,
    mediumProfanity: ActionSchema,
    spamThreshold: Count,
    trustedDomains: z.array(z.string().min(1)),
    allow: z.array(z.string().min(1, 'must not be empty')),
    block: z.array(BlockEntrySchema),
    repeatOffenders: RepeatOffendersSchema,
    pileOn: PileOnSchema,
    staffedHours: StaffedHoursSchema,
    preElection: PreElectionSchema,
    external: ExternalSchema,
  })
  .strict()
export type PolicyFile = z.infer<typeof PolicyFileSchema>
export type BlockEntry = z.infer<typeof BlockEntrySchema>
export type Profile = z.infer<typeof ProfileSchema>

/** What an account may put under `policy:` in config/wardguard.yaml. Lists add to the base. */
export const PolicyOverridesSchema: z.ZodType<PolicyOverrides> = z
  .object({
    categories: PartialCategoriesSchema,
    mildProfanity: ActionSchema,
    mediumProfanity: ActionSchema,
    spamThreshold: Count,
    trustedDomains: z.array(z.string().min(1)),
    allow: z.array(z.string().min(1, 'must not be empty')),
    block: z.array(BlockEntrySchema),
    repeatOffenders: RepeatOffendersSchema.partial().strict(),
    pileOn: PileOnSchema.partial().strict(),
    staffedHours: StaffedHoursSchema.partial().strict(),
    preElection: PreElectionSchema.partial().strict(),
    external: ExternalSchema.partial().strict(),
  })
  .partial()
  .strict()

export type PolicyOverrides = {
  categories?: Partial<
    Record<(typeof CATEGORIES)[number], Partial<PolicyFile['categories']['hate']>>
  >
  mildProfanity?: PolicyFile['mildProfanity']
  mediumProfanity?: PolicyFile['mediumProfanity']
  spamThreshold?: number
  trustedDomains?: string[]
  allow?: string[]
  block?: BlockEntry[]
  repeatOffenders?: Partial<PolicyFile['repeatOffenders']>
  pileOn?: Partial<PolicyFile['pileOn']>
  staffedHours?: Partial<PolicyFile['staffedHours']>
  preElection?: Partial<PolicyFile['preElection']>
  external?: Partial<PolicyFile['external']>
}

/** zod issues as `path.to.key: message` lines, prefixed with `where` when given. */
export function describeIssues(error: z.ZodError, where?: string): string[] {
  const prefix = (path: PropertyKey[]) =>
    [where, ...path.map(String)].filter((p) => p !== undefined && p !== '').join('.') || '(policy)'
  const out: string[] = []
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push(`${prefix([...issue.path, key])}: is not a known setting`)
      continue
    }
    let message = issue.message
    if (issue.code === 'invalid_type' && /received undefined/.test(message)) message = 'is required'
    out.push(`${prefix(issue.path)}: ${message}`)
  }
  return out
}
