import { decide } from '../src/moderation/decide.js'
import { HEADS, type Head, type HeadThresholds } from '../src/moderation/model/heads.js'
import type { Model } from '../src/moderation/model/weights.js'
import { hitsAt, type ModelView, viewOf } from '../src/moderation/model-hits.js'
import { allowMask, analyseText, ruleHits } from '../src/moderation/moderate.js'
import type { Policy } from '../src/moderation/policy.js'
import type { Hit, ModerationAction } from '../src/moderation/types.js'
import type { Example } from './example.js'

/**
 * How much a decision is worth against the label, as a council would weigh it: hiding
 * something that should stay up (censorship) costs most, then leaving up what must come down;
 * sending a hide to review is a safe fallback. Sending criticism to review is a cost of its
 * own: the policy promises it stays up.
 */
const UTILITY: Record<ModerationAction, Record<ModerationAction, number>> = {
  allow: { allow: 1, review: 0, hide: -1.5 },
  review: { allow: -0.5, review: 1, hide: 0.4 },
  hide: { allow: -1, review: 0.6, hide: 1 },
}
const CRITICISM_TO_REVIEW = -0.6
const CRITICISM_TO_HIDE = -3

const GRID = [
  0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98,
]

/**
 * @NOTE floors: the validation split is a thousand comments rich in hard cases, so a review
 * call below an even chance, or a hide below 70%, would rest on a handful of them and fire on
 * ordinary comments elsewhere
 */
const REVIEW_FLOOR = 0.5
const HIDE_FLOOR = 0.7

/** One validation comment with the parts of its decision that thresholds do not change. */
type Cached = { e: Example; rules: Hit[]; view: ModelView; text: string }

export function cacheViews(items: Example[], policy: Policy, model: Model): Cached[] {
  return items.map((e) => {
    const a = analyseText(e.text)
    const allowed = allowMask(a, policy)
    return {
      e,
      rules: ruleHits(a, policy, policy.settings, allowed),
      view: viewOf(a, model, allowed),
      text: e.text,
    }
  })
}

export type Tuning = { thresholds: Record<Head, HeadThresholds>; criticismVeto: number }

function actionAt(c: Cached, policy: Policy, t: Tuning): ModerationAction {
  const model = c.view.a.tokens.length
    ? hitsAt(c.view, t.thresholds, { explain: false, criticismVeto: t.criticismVeto })
    : []
  const hits = [...c.rules, ...model]
  return decide(hits, { text: c.text, platform: 'facebook' }, policy, {
    settings: policy.settings,
    modes: [],
    outsideStaffedHours: false,
  }).action
}

/** Exact decision, recall of flagged and criticism kept on the cached comments. */
export function decisionRates(cached: Cached[], policy: Policy, t: Tuning) {
  let exact = 0
  let flagged = 0
  let caught = 0
  let criticism = 0
  let kept = 0
  for (const c of cached) {
    const want = c.e.decision ?? 'allow'
    const got = actionAt(c, policy, t)
    if (got === want) exact++
    if (want !== 'allow') {
      flagged++
      if (got !== 'allow') caught++
    }
    if (want === 'allow' && (c.e.tags ?? []).some((x) => x.includes('criticism'))) {
      criticism++
      if (got === 'allow') kept++
    }
  }
  const r = (a: number, b: number) => (b ? (a / b).toFixed(3) : 'n/a')
  return `exact ${r(exact, cached.length)}, flagged recall ${r(caught, flagged)}, criticism kept ${r(kept, criticism)}`
}

export function utilityAt(cached: Cached[], policy: Policy, t: Tuning): number {
  let sum = 0
  for (const c of cached) {
    const want = c.e.decision ?? 'allow'
    const got = actionAt(c, policy, t)
    const criticism = want === 'allow' && (c.e.tags ?? []).some((x) => x.includes('criticism'))
    if (criticism && got === 'review') sum += CRITICISM_TO_REVIEW
    else if (criticism && got === 'hide') sum += CRITICISM_TO_HIDE
    else sum += UTILITY[want][got]
  }
  return sum / Math.max(1, cached.length)
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
): Tuning {
  const cached = cacheViews(validation, policy, model)
  const tuning: Tuning = { thresholds: structuredClone(model.thresholds), criticismVeto: 1 }
  const t = tuning.thresholds
  let best = utilityAt(cached, policy, tuning)
  log(`thresholds: start utility ${best.toFixed(4)}`)
  const tryValues = (set: (v: number) => void, current: number, values: number[]) => {
    let bestValue = current
    for (const value of values) {
      set(value)
      const u = utilityAt(cached, policy, tuning)
      if (u > best + 1e-9) {
        best = u
        bestValue = value
      }
    }
    set(bestValue)
  }
  for (let round = 0; round < 3; round++) {
    for (const head of HEADS) {
      for (const level of ['review', 'hide'] as const) {
        const values = GRID.filter((v) =>
          level === 'hide'
            ? v >= Math.max(t[head].review, HIDE_FLOOR)
            : v >= REVIEW_FLOOR && v <= t[head].hide,
        )
        tryValues((v) => (t[head][level] = v), t[head][level], values)
      }
    }
    tryValues((v) => (tuning.criticismVeto = v), tuning.criticismVeto, [...GRID, 1])
    log(`thresholds: round ${round + 1} utility ${best.toFixed(4)}`)
  }
  return tuning
}

export function defaultThresholds(): Record<Head, HeadThresholds> {
  return Object.fromEntries(HEADS.map((h) => [h, { review: 0.5, hide: 0.9 }])) as Record<
    Head,
    HeadThresholds
  >
}
