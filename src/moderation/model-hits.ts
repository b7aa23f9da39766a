import { driversOf, explainHit } from './model/explain.js'
import { contextOf, type FeatureContext, featurise } from './model/features.js'
import { HEADS, type Head, outputIndex } from './model/heads.js'
import { contributions, scoreFeatures } from './model/infer.js'
import type { Model } from './model/weights.js'
import type { Analysed } from './normalise.js'
import type { Hit } from './types.js'

/** The model's scores for one comment, per head: any level, and hide level. */
export type HeadScores = Record<Head, { any: number; hide: number }>

/**
 * Fusion: the trained model's calls as hits beside the rules' hits.
 * - From a head's `hide` threshold the hit is `clear` (the category's action, e.g. hide); from
 *   its `review` threshold it is `borderline` (a person judges).
 * - Context detectors contest a call: hate or a threat in a comment that condemns, quotes or
 *   disowns it; hate with no protected group named; an insult aimed at a politician. A
 *   contested call goes to a person, never straight to hide.
 * - The rules stay in charge of what they are precise about (personal data, links, disguised
 *   swearing and slurs): the model adds to them and never takes a rule's hit away.
 */
export function modelHits(a: Analysed, model: Model): { hits: Hit[]; scores: HeadScores } {
  const ctx = contextOf(a)
  const f = featurise(a, ctx, model.bits)
  const p = scoreFeatures(model, f)
  const scores = {} as HeadScores
  const hits: Hit[] = []
  for (const head of HEADS) {
    const any = p[outputIndex(head, 'any')]!
    const hide = p[outputIndex(head, 'hide')]!
    scores[head] = { any, hide }
    const t = model.thresholds[head]
    const clear = hide >= t.hide
    if (!clear && any < t.review) continue
    const out = outputIndex(head, clear ? 'hide' : 'any')
    const drivers = driversOf(a, f, contributions(model, f, out))
    const contested = clear ? contestOf(head, ctx) : null
    const words = drivers.map((d) => a.text.slice(d.start, d.end))
    const first = drivers[0] ?? { start: 0, end: Math.min(a.text.length, 80) }
    hits.push({
      rule: `model.${head}`,
      category: head,
      severity: clear ? 'clear' : 'borderline',
      start: first.start,
      end: first.end,
      explanation: explainHit(head, clear ? hide : any, words, contested),
      ...(contested ? { action: 'review' as const } : {}),
    })
  }
  return { hits, scores }
}

/** Why a person, not the model, should make a clear call; null when nothing contests it. */
export function contestOf(head: Head, ctx: FeatureContext): string | null {
  if (head === 'hate' || head === 'threat') {
    if (ctx.counterSpeech) return 'the comment seems to quote it in order to condemn it'
    if (ctx.disowned) return 'the writer seems to disown the claim'
    const reported = ctx.reported.some((v) => v === 1)
    if (reported) return 'the words seem to be reported from someone else'
  }
  if (head === 'hate' && ctx.groups === 0) return 'no protected group is named'
  if ((head === 'harassment' || head === 'profanity') && ctx.political > 0) {
    return 'it is aimed at a politician or the council, where criticism must stay up'
  }
  return null
}
