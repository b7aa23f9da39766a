import type { Analysed } from '../normalise.js'
import type { Features } from './features.js'
import type { Head } from './heads.js'

/** A stretch of the author's own text that pushed the model towards its call. */
export type Driver = { start: number; end: number; weight: number }

const MAX_DRIVERS = 3

// @NOTE function words carry weight in a linear model, but "the" or "you" explains nothing to
// a councillor: they are shown only as part of a phrase with a word that does
const FUNCTION_WORDS = new Set(
  'a an the this that these those is are was were be been am i me my you your ur u he him his she her it its we us our they them their to of in on at for with and or but so if as by from up out not no do does did has have had will would can could should just all any some'.split(
    ' ',
  ),
)

/**
 * For each feature, the first word it came from and how many words it covers (0: none). The
 * same for every output of one comment, so it is worked out once and shared by its explanations.
 */
export type FeatureSpans = { first: Int32Array; covered: Int32Array }

export function featureSpans(a: Analysed, f: Features): FeatureSpans {
  const tokens = a.tokens
  const first = new Int32Array(f.count)
  const covered = new Int32Array(f.count)
  if (tokens.length === 0) return { first, covered }
  for (let i = 0; i < f.count; i++) {
    const start = f.start[i]!
    const end = f.end[i]!
    if (start < 0) continue
    // the first word ending after the feature starts (the last word if none does)
    let lo = 0
    let hi = tokens.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (tokens[mid]!.end <= start) lo = mid + 1
      else hi = mid
    }
    let n = 0
    for (let k = lo; k < tokens.length && tokens[k]!.start < end; k++) n++
    first[i] = lo
    covered[i] = n
  }
  return { first, covered }
}

/**
 * The words that drove one output: each feature's contribution is shared among the words it
 * came from, the words that pushed hardest are kept, and neighbours merge into one phrase.
 * Offsets are in the original text, so the phrase is exactly what the author typed.
 */
export function driversOf(
  a: Analysed,
  f: Features,
  contribution: Float32Array,
  spans: FeatureSpans = featureSpans(a, f),
): Driver[] {
  const tokens = a.tokens
  if (tokens.length === 0) return []
  const perToken = new Float32Array(tokens.length)
  for (let i = 0; i < f.count; i++) {
    const n = spans.covered[i]!
    if (n === 0) continue
    const share = contribution[i]! / n
    const t = spans.first[i]!
    for (let k = t; k < t + n; k++) perToken[k]! += share
  }
  const ranked = Array.from(perToken.keys())
    .filter((k) => perToken[k]! > 0 && !FUNCTION_WORDS.has(tokens[k]!.word))
    .sort((x, y) => perToken[y]! - perToken[x]!)
  if (ranked.length === 0) return []
  const top = ranked[0]!
  // @NOTE keep words that pushed at least a third as hard as the strongest one
  const keep = new Set(ranked.filter((k) => perToken[k]! >= perToken[top]! / 3).slice(0, 6))
  const drivers: Driver[] = []
  // a function word between two kept words joins them into one phrase ("send them back")
  for (let k = 1; k + 1 < tokens.length; k++) {
    const joins = FUNCTION_WORDS.has(tokens[k]!.word) && keep.has(k - 1) && keep.has(k + 1)
    if (joins && perToken[k]! > 0) keep.add(k)
  }
  for (let k = 0; k < tokens.length; k++) {
    if (!keep.has(k)) continue
    const last = drivers.at(-1)
    if (last && keep.has(k - 1) && tokens[k]!.sentence === tokens[k - 1]!.sentence) {
      last.end = tokens[k]!.end
      last.weight += perToken[k]!
    } else drivers.push({ start: tokens[k]!.start, end: tokens[k]!.end, weight: perToken[k]! })
  }
  return drivers
    .sort((x, y) => y.weight - x.weight)
    .slice(0, MAX_DRIVERS)
    .sort((x, y) => x.start - y.start)
}

/** What each head means, in words a councillor uses. */
export const HEAD_MEANING: Record<Head, string> = {
  profanity: 'obscene or strongly profane language',
  hate: 'hostility to a group protected by the Equality Act',
  threat: 'a threat of violence or harm',
  harassment: 'a personal insult aimed at someone',
  defamation: 'an allegation of wrongdoing against someone who can be identified',
  personal_data: "someone's personal details",
  sub_judice: 'comment that prejudges a court case',
  spam: 'a scam or spam',
  safeguarding: 'a sign that someone may be at risk',
}

/** "Reads as a threat of violence or harm (91% sure), mostly because of "…", "…"." */
export function explainHit(
  head: Head,
  probability: number,
  words: string[],
  contested: string | null,
): string {
  const sure = `${Math.round(probability * 100)}% sure`
  const because = words.length ? `, mostly because of ${words.map((w) => `"${w}"`).join(', ')}` : ''
  const caveat = contested ? `; a person should judge it because ${contested}` : ''
  return `Wardguard's trained model reads this as ${HEAD_MEANING[head]} (${sure})${because}${caveat}`
}
