import { HEADS, type Head } from '../src/moderation/model/heads.js'
import type { Model } from '../src/moderation/model/weights.js'
import { moderate } from '../src/moderation/moderate.js'
import type { Policy } from '../src/moderation/policy.js'
import type { ModerationAction } from '../src/moderation/types.js'
import type { Example } from './example.js'

/**
 * How much a decision is worth against the label, as a council would weigh it: hiding
 * something that should stay up (censorship) costs most, leaving up something that must come
 * down next, and sending a hide to review is a safe fallback.
 */
const UTILITY: Record<ModerationAction, Record<ModerationAction, number>> = {
  allow: { allow: 1, review: 0.2, hide: -1.5 },
  review: { allow: -0.5, review: 1, hide: 0.4 },
  hide: { allow: -1, review: 0.6, hide: 1 },
}

const GRID = [
  0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99,
]

export function utilityOf(items: Example[], policy: Policy): number {
  let sum = 0
  for (const e of items) {
    const got = moderate({ text: e.text, platform: 'facebook' }, policy).action
    sum += UTILITY[e.decision ?? 'allow'][got]
  }
  return sum / Math.max(1, items.length)
}

/**
 * Per head, the review and hide thresholds that make the whole engine (rules and model
 * together) decide the validation comments best, by coordinate ascent over a grid. Only the
 * validation split is ever looked at here.
 */
export function tuneThresholds(
  model: Model,
  policy: Policy,
  validation: Example[],
  log: (line: string) => void,
): Model['thresholds'] {
  const t = model.thresholds
  let best = utilityOf(validation, policy)
  log(`thresholds: start utility ${best.toFixed(4)}`)
  for (let round = 0; round < 2; round++) {
    for (const head of HEADS) {
      for (const level of ['review', 'hide'] as const) {
        let bestValue = t[head][level]
        for (const value of GRID) {
          if (level === 'hide' && value < t[head].review) continue
          t[head][level] = value
          const u = utilityOf(validation, policy)
          if (u > best + 1e-9) {
            best = u
            bestValue = value
          }
        }
        t[head][level] = bestValue
      }
    }
    log(`thresholds: round ${round + 1} utility ${best.toFixed(4)}`)
  }
  return t
}

export function defaultThresholds(): Record<Head, { review: number; hide: number }> {
  return Object.fromEntries(HEADS.map((h) => [h, { review: 0.5, hide: 0.9 }])) as Record<
    Head,
    { review: number; hide: number }
  >
}
