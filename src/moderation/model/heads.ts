import { CATEGORIES, type Category } from '../types.js'

/**
 * The model's outputs: for each category, whether a comment breaks it at all (`any`: a person
 * should at least look) and whether it breaks it clearly enough to hide (`hide`).
 */
export const HEADS = CATEGORIES
export type Head = Category

export const LEVELS = ['any', 'hide'] as const
export type Level = (typeof LEVELS)[number]

export const OUTPUTS = HEADS.flatMap((h) => LEVELS.map((l) => `${h}.${l}` as const))
export type Output = (typeof OUTPUTS)[number]

export function outputIndex(head: Head, level: Level): number {
  return HEADS.indexOf(head) * LEVELS.length + LEVELS.indexOf(level)
}

/** Per head: from `review` a model hit goes to a person; from `hide` it may be hidden. */
export type HeadThresholds = { review: number; hide: number }
