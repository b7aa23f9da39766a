import { CATEGORIES, type Category } from '../types.js'

/**
 * The model's outputs: for each category, whether a comment breaks it at all (`any`: a person
 * should at least look) and whether it breaks it clearly enough to hide (`hide`).
 */
export const HEADS = CATEGORIES
export type Head = Category

export const LEVELS = ['any', 'hide'] as const
export type Level = (typeof LEVELS)[number]

/**
 * One output beside the heads: that the comment is political criticism (of a record, a decision,
 * a party), which the policy protects. It never flags anything; it vetoes a weak model call of
 * insult, allegation or threat on a comment that reads as criticism.
 */
export const CRITICISM = 'criticism' as const

export const OUTPUTS = [...HEADS.flatMap((h) => LEVELS.map((l) => `${h}.${l}` as const)), CRITICISM]
export type Output = (typeof OUTPUTS)[number]

export function outputIndex(head: Head, level: Level): number {
  return HEADS.indexOf(head) * LEVELS.length + LEVELS.indexOf(level)
}

export const CRITICISM_OUTPUT = HEADS.length * LEVELS.length

/** The heads whose weak calls the criticism output may veto. */
export const VETOABLE: readonly Head[] = [
  'harassment',
  'defamation',
  'threat',
  'profanity',
  'sub_judice',
]

/** Per head: from `review` a model hit goes to a person; from `hide` it may be hidden. */
export type HeadThresholds = { review: number; hide: number }
