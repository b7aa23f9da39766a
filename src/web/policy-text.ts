/** The moderation policy in plain language, for the public guidelines page. */
import type { Category, Policy } from '../moderation/index.js'
import { CATEGORIES } from '../moderation/index.js'

export const CATEGORY_TEXT: Record<Category, string> = {
  profanity: 'swearing and obscene language',
  hate: 'abuse aimed at people because of their race, religion, sex, sexual orientation, disability or gender identity',
  threat: 'threats of violence or harm',
  harassment: 'personal abuse and insults aimed at a person',
  defamation: 'claims that a named person committed a crime or acted corruptly, stated as fact',
  personal_data: "other people's private details, such as home addresses or phone numbers",
  sub_judice: 'comments that could prejudice a court case that is under way',
  spam: 'spam, scams and repeated advertising',
  safeguarding: 'content suggesting someone, especially a child, may be at risk',
}

export type PolicySummary = {
  hidden: string[]
  reviewed: string[]
  /** hidden at once, and also read by a person */
  escalated: string[]
  strikes: boolean
  repeatOffenders: { hideThreshold: number; windowDays: number }
  preElection: { from?: string; to?: string }
}

/** What happens to each kind of comment: hidden when the rule is sure, else reviewed. */
export function summarisePolicy(policy: Policy): PolicySummary {
  const hidden: string[] = []
  const reviewed: string[] = []
  const escalated: string[] = []
  for (const c of CATEGORIES) {
    const s = policy.settings.categories[c]
    if (s.action === 'hide') hidden.push(CATEGORY_TEXT[c])
    else if (s.action === 'review' || s.borderline === 'review') reviewed.push(CATEGORY_TEXT[c])
    if (s.action === 'hide' && s.borderline === 'review')
      reviewed.push(`borderline cases of ${CATEGORY_TEXT[c]}`)
    if (s.escalate) escalated.push(CATEGORY_TEXT[c])
  }
  return {
    hidden,
    reviewed,
    escalated,
    strikes: CATEGORIES.some((c) => policy.settings.categories[c].strike),
    repeatOffenders: {
      hideThreshold: policy.repeatOffenders.hideThreshold,
      windowDays: policy.repeatOffenders.windowDays,
    },
    preElection: {
      from: policy.preElection.from ?? undefined,
      to: policy.preElection.to ?? undefined,
    },
  }
}
