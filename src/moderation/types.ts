/** The public vocabulary of the moderation engine. */

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

export const ACTIONS = ['allow', 'review', 'hide'] as const
export type ModerationAction = (typeof ACTIONS)[number]

/** One rule that fired: which, in what category, on which original words, in plain English. */
export type Reason = { rule: string; category: Category; match: string; explanation: string }

export type ModerationInput = {
  text: string
  platform: 'facebook' | 'x'
  author?: { id: string; name?: string | null }
  accountId?: string
  /** the author's recent strikes on this account */
  strikes?: number
  /** ISO time the comment was made; default now. Used by the pre-election and staffed-hours modes */
  at?: string
}

export type Decision = {
  action: ModerationAction
  categories: Category[]
  reasons: Reason[]
  /** threats, safeguarding: tell the council's safety contact */
  escalate: boolean
  /** reviewers should look first */
  urgent: boolean
  /** repeat offender: the reviewer is offered ban/block */
  suggestBan: boolean
  /** does this comment count as a strike against the author */
  strike: boolean
  /** a person must look at it: action 'review', or hidden pending review */
  reviewRequired: boolean
  /** e.g. ['pre_election', 'outside_staffed_hours', 'repeat_offender'] when they applied */
  modes: string[]
  policyVersion: string
}

/**
 * How sure a rule is. `clear` gets the category's action (e.g. hide), `borderline` gets the
 * category's borderline action (usually review).
 */
export type Severity = 'clear' | 'borderline'

/** A rule hit before the policy turns it into an action. Offsets are in the original text. */
export type Hit = {
  rule: string
  category: Category
  severity: Severity
  start: number
  end: number
  explanation: string
  /** overrides the category's action (e.g. mild swearing follows `mildProfanity`) */
  action?: ModerationAction
  urgent?: boolean
}
