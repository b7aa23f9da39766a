import { isFinishedCase } from './context/court.js'
import { driversOf, explainHit, type FeatureSpans, featureSpans } from './model/explain.js'
import { contextOf, type FeatureContext, type Features, featurise } from './model/features.js'
import {
  CRITICISM_OUTPUT,
  HEADS,
  type Head,
  type HeadThresholds,
  outputIndex,
  VETOABLE,
} from './model/heads.js'
import { contributions, hiddenActivations, scoreFeatures } from './model/infer.js'
import type { Model } from './model/weights.js'
import type { Analysed } from './normalise.js'
import type { Hit } from './types.js'

/**
 * The model's scores for one comment, per head: that it breaks the head at all (`any`), and
 * that it is bad enough to hide (`hide` = any × the model's "hide, given it breaks it").
 */
export type HeadScores = Record<Head, { any: number; hide: number }>

/** What the model makes of one comment, before thresholds turn it into hits. */
export type ModelView = {
  a: Analysed
  model: Model
  features: Features
  scores: HeadScores
  /** that the comment is political criticism, which the policy protects */
  criticism: number
  /** per head: why a person should make a clear call, or null */
  contest: Record<Head, string | null>
  /** the comment speaks of a court case that has finished: no contempt risk */
  finishedCase: boolean
  /** the hidden units' inputs, kept for explanations (null without a hidden layer) */
  acts: Float32Array | null
  /** which words each feature came from: worked out by the first explanation, then shared */
  spans?: FeatureSpans
}

export function viewOf(a: Analysed, model: Model, allowed?: Uint8Array): ModelView {
  const ctx = contextOf(a, allowed)
  const features = featurise(a, ctx, model.bits)
  const acts = model.hidden ? hiddenActivations(model.hidden, features) : null
  const p = scoreFeatures(model, features, acts)
  const scores = {} as HeadScores
  const contest = {} as Record<Head, string | null>
  for (const head of HEADS) {
    const any = p[outputIndex(head, 'any')]!
    scores[head] = { any, hide: any * p[outputIndex(head, 'hide')]! }
    contest[head] = contestOf(head, ctx)
  }
  return {
    a,
    model,
    features,
    scores,
    criticism: p[CRITICISM_OUTPUT]!,
    contest,
    finishedCase: isFinishedCase(a),
    acts,
  }
}

/**
 * Fusion: the trained model's calls as hits beside the rules' hits.
 * - From a head's `hide` threshold the hit is `clear` (the category's action, e.g. hide); from
 *   its `review` threshold it is `borderline` (a person judges).
 * - Context detectors contest a call: hate or a threat in a comment that condemns, quotes or
 *   disowns it; hate with no protected group named; an insult aimed at a politician. A
 *   contested call goes to a person, never straight to hide.
 * - A weak (review-level) call of insult, allegation, threat or swearing is dropped when the
 *   model reads the comment as political criticism, which the policy protects.
 * - The rules stay in charge of what they are precise about (personal data, links, disguised
 *   swearing and slurs): the model adds to them and never takes a rule's hit away.
 */
export function hitsAt(
  view: ModelView,
  thresholds: Record<Head, HeadThresholds>,
  opts: {
    explain?: boolean
    criticismVeto?: number
    /** heads whose calls the rules overrule for this comment (spam on official links) */
    standDown?: readonly Head[]
  } = {},
): Hit[] {
  const hits: Hit[] = []
  const veto = opts.criticismVeto ?? view.model.criticismVeto
  for (const head of HEADS) {
    const { any, hide } = view.scores[head]
    const t = thresholds[head]
    const clear = hide >= t.hide
    if (!clear && any < t.review) continue
    if (opts.standDown?.includes(head)) continue
    // @NOTE the rules' own sub judice calls already need an active case; the model's must too
    if (head === 'sub_judice' && view.finishedCase) continue
    // @NOTE a weak call of insult, allegation or threat on what reads as criticism of a record
    // is the error the policy fears most (gagging): criticism wins it
    if (!clear && view.criticism >= veto && VETOABLE.includes(head)) continue
    const contested = clear ? view.contest[head] : null
    hits.push({
      rule: `model.${head}`,
      category: head,
      severity: clear ? 'clear' : 'borderline',
      start: 0,
      end: 0,
      explanation: '',
      ...(contested ? { action: 'review' as const } : {}),
      ...(opts.explain === false ? {} : explained(view, head, clear, contested)),
    })
  }
  return hits
}

/** The words that drove a head's call, and the sentence that says so. */
function explained(view: ModelView, head: Head, clear: boolean, contested: string | null) {
  const { a, model, features } = view
  // @NOTE the words that make it a breach at all: they are what a reader needs to see
  const out = outputIndex(head, 'any')
  view.spans ??= featureSpans(a, features)
  const drivers = driversOf(a, features, contributions(model, features, out, view.acts), view.spans)
  const words = drivers.map((d) => a.text.slice(d.start, d.end))
  const first = drivers[0] ?? { start: 0, end: Math.min(a.text.length, 80) }
  const p = clear ? view.scores[head].hide : view.scores[head].any
  return { start: first.start, end: first.end, explanation: explainHit(head, p, words, contested) }
}

export function modelHits(
  a: Analysed,
  model: Model,
  allowed?: Uint8Array,
  standDown: readonly Head[] = [],
): Hit[] {
  return hitsAt(viewOf(a, model, allowed), model.thresholds, { standDown })
}

/** Why a person, not the model, should make a clear call; null when nothing contests it. */
export function contestOf(head: Head, ctx: FeatureContext): string | null {
  if (head === 'hate' || head === 'threat') {
    if (ctx.counterSpeech) return 'the comment seems to quote it in order to condemn it'
    if (ctx.disowned) return 'the writer seems to disown the claim'
    if (ctx.reported.some((v) => v === 1)) return 'the words seem to be reported from someone else'
  }
  if (head === 'hate' && ctx.groups === 0) return 'no protected group is named'
  if ((head === 'harassment' || head === 'profanity') && ctx.political > 0) {
    return 'it is aimed at a politician or the council, where criticism must stay up'
  }
  return null
}
