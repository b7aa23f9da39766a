import type { Policy, Settings } from './policy.js'
import {
  CATEGORIES,
  type Category,
  type Decision,
  type Hit,
  type ModerationAction,
  type ModerationInput,
  type Reason,
} from './types.js'

const RANK: Record<ModerationAction, number> = { allow: 0, review: 1, hide: 2 }
const MAX_REASONS = 12

export type DecideOptions = {
  settings: Settings
  modes: string[]
  outsideStaffedHours: boolean
}

/** What the policy does with a hit: a rule's own action, else the category's. */
export function actionOf(hit: Hit, settings: Settings): ModerationAction {
  if (hit.action) return hit.action
  const category = settings.categories[hit.category]
  return hit.severity === 'clear' ? category.action : category.borderline
}

/**
 * Turns rule hits into one decision: the strictest action wins; repeat offenders and
 * unstaffed hours turn a review into "hide until reviewed"; nothing is ever deleted or banned
 * here, a ban is only suggested to the reviewer.
 */
export function decide(
  hits: Hit[],
  input: ModerationInput,
  policy: Policy,
  opts: DecideOptions,
): Decision {
  const { settings } = opts
  const modes = [...opts.modes]
  if (hits.length === 0) {
    return {
      action: 'allow',
      categories: [],
      reasons: [],
      escalate: false,
      urgent: false,
      suggestBan: false,
      strike: false,
      reviewRequired: false,
      modes,
      policyVersion: policy.version,
    }
  }
  const acted = hits
    .map((hit) => ({ hit, action: actionOf(hit, settings) }))
    .filter((h) => h.action !== 'allow')
  let action: ModerationAction = 'allow'
  for (const h of acted) if (RANK[h.action] > RANK[action]) action = h.action
  const present = new Set<Category>(acted.map((h) => h.hit.category))
  const categories = CATEGORIES.filter((c) => present.has(c))
  const escalate = categories.some((c) => settings.categories[c].escalate)
  const urgent = escalate || acted.some((h) => h.hit.urgent === true)
  const strike = categories.some((c) => settings.categories[c].strike)

  let reviewRequired = action === 'review'
  const strikes = input.strikes ?? 0
  if (action === 'review' && strikes >= policy.repeatOffenders.hideThreshold) {
    action = 'hide'
    modes.push('repeat_offender')
  }
  if (action === 'review' && opts.outsideStaffedHours) {
    action = 'hide'
    modes.push('outside_staffed_hours')
  }
  const suggestBan = action !== 'allow' && strikes >= policy.repeatOffenders.suggestBanThreshold
  if (suggestBan || escalate) reviewRequired = true

  return {
    action,
    categories,
    reasons: toReasons(
      acted.map((h) => h.hit),
      input.text,
    ),
    escalate,
    urgent,
    suggestBan,
    strike,
    reviewRequired,
    modes,
    policyVersion: policy.version,
  }
}

function toReasons(hits: Hit[], text: string): Reason[] {
  const reasons: Reason[] = []
  // @NOTE the rules' reasons first: they name the exact words; the model's follow, with a score
  const fromModel = (h: Hit) => (h.rule.startsWith('model.') ? 1 : 0)
  const ordered = [...hits].sort(
    (x, y) => fromModel(x) - fromModel(y) || x.start - y.start || y.end - x.end,
  )
  const kept: Hit[] = []
  for (const hit of ordered) {
    // @NOTE one reason per stretch of text and rule: "I know where you live" once, not twice
    if (kept.some((k) => k.rule === hit.rule && k.start <= hit.start && k.end >= hit.end)) continue
    kept.push(hit)
    reasons.push({
      rule: hit.rule,
      category: hit.category,
      match: text.slice(hit.start, hit.end),
      explanation: hit.explanation,
    })
    if (reasons.length >= MAX_REASONS) break
  }
  return reasons
}
