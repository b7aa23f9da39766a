import { z } from 'zod'

/** The policy's categories, in the order the model's heads and reports list them. */
export const CATEGORIES = [
  'profanity',
  'hate',
  'threat',
  'harassment',
  'defamation',
  'personal_data',
  'sub_judice',
  'spam',
  'safeguarding',
] as const
export type Category = (typeof CATEGORIES)[number]

export const ALLOW_TAGS = [
  'criticism',
  'harsh_criticism',
  'sarcasm',
  'hyperbole',
  'mild_swearing',
  'filter_trap',
  'counter_speech',
  'quote',
  'negation',
  'group_neutral',
  'group_positive',
  'question',
  'court_neutral',
  'officer_complaint',
  'service_complaint',
  'own_data',
  'benign',
] as const

export const FLAG_TAGS = [
  'strong_profanity',
  'medium_swearing',
  'obfuscated',
  'misspelt',
  'slur',
  'explicit_hate',
  'implicit_hate',
  'coded_hate',
  'question_framed',
  'opinion_framed',
  'dehumanising',
  'exclusion',
  'explicit_threat',
  'normative_threat',
  'incitement',
  'veiled_threat',
  'insult',
  'campaign',
  'allegation',
  'insinuation',
  'prejudging_case',
  'contact_details',
  'identifies_anonymous',
  'scam',
  'phishing',
  'crypto',
  'engagement_bait',
  'romance_scam',
  'recovery_scam',
  'commercial',
  'self_harm',
  'at_risk',
] as const

const level = z.enum(['hide', 'review'])

/** One labelled in-domain comment (docs/labelling-guide.md). */
export const itemSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+-\d{4,5}$/),
    platform: z.enum(['facebook', 'x']),
    text: z.string().min(1).max(8000),
    labels: z.partialRecord(z.enum(CATEGORIES), level),
    tags: z.array(z.enum([...ALLOW_TAGS, ...FLAG_TAGS])).min(1),
    twin: z.string().optional(),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((item, ctx) => {
    if (item.platform === 'x' && [...item.text].length > 280) {
      ctx.addIssue({ code: 'custom', message: 'an X post is at most 280 characters' })
    }
  })
export type Item = z.infer<typeof itemSchema>

export type Decision = 'allow' | 'review' | 'hide'

/** The comment's decision: the strongest level among its labels. */
export function decisionOf(labels: Item['labels']): Decision {
  const levels = Object.values(labels)
  if (levels.includes('hide')) return 'hide'
  if (levels.includes('review')) return 'review'
  return 'allow'
}
