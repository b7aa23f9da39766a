import type { Ctx } from '../context.js'
import type { PhraseHit } from '../phrase-index.js'
import type { WordEntry, WordMatcher } from '../word-matcher.js'

/** A lexicon word found in a comment: tokens first..last (inclusive). */
export type WordFind = { entry: WordEntry; first: number; last: number }

// @NOTE words that may stand between an insult cue and the insult: "what a massive cock"
const SKIPPABLE = new Set([
  'absolute',
  'absolutely',
  'total',
  'utter',
  'complete',
  'massive',
  'right',
  'proper',
  'fucking',
  'bloody',
  'little',
  'big',
  'fat',
  'stupid',
  'thick',
  'smug',
  'lying',
  'ugly',
  'useless',
  'dirty',
  'old',
  'silly',
  'horrible',
  'nasty',
  'pathetic',
  'such',
  'spineless',
  'miserable',
])
const CUES = new Set([
  'a',
  'an',
  'you',
  'ya',
  'ye',
  'u',
  'ur',
  "you're",
  'youre',
  'yer',
  'ure',
  'such',
])
/**
 * Every entry of a word list in a comment, disguises included: whole tokens (`sh!t`, `c*nt`),
 * multi-word entries (`bell end`), words spelt letter by letter (`f u c k`, `c.u.n.t`) and words
 * split in two (`c0ck w0mble`, `fu cking`). Tokens masked by an allow-list are skipped.
 */
export function scanWords(
  ctx: Ctx,
  matcher: WordMatcher,
  phrases: Array<PhraseHit<WordEntry>>,
  /** only multi-word entries of this file (null: any) */
  file: string | null,
): WordFind[] {
  const { a, masked } = ctx
  const tokens = a.tokens
  const found: WordFind[] = []
  const covered = new Uint8Array(tokens.length)
  for (let i = 0; i < tokens.length; i++) {
    if (masked[i]) continue
    const entries = matcher.match(tokens[i]!.raw)
    if (entries.length > 0) takeEntries(ctx, found, covered, entries, i, i)
  }
  for (const hit of phrases) {
    const entry = hit.value
    if (file !== null && entry.file !== file) continue
    const first = a.wordToken[hit.from]!
    let last = a.wordToken[hit.to - 1]!
    if (last < 0) last = a.wordToken[hit.to - 2] ?? first
    if (first < 0 || last < 0 || masked[first] || masked[last]) continue
    takeEntries(ctx, found, covered, [entry], first, last)
  }
  spelled(ctx, matcher, covered, found)
  split(ctx, matcher, covered, found)
  return found
}

function takeEntries(
  ctx: Ctx,
  found: WordFind[],
  covered: Uint8Array,
  entries: WordEntry[],
  first: number,
  last: number,
): boolean {
  let best: WordEntry | null = null
  for (const e of entries) {
    if (e.insult && !insultCue(ctx, first, last)) continue
    if (!best || rank(e) > rank(best)) best = e
  }
  if (!best) return false
  found.push({ entry: best, first, last })
  for (let k = first; k <= last; k++) covered[k] = 1
  return true
}

function rank(e: WordEntry): number {
  return e.label === 'strong' ? 3 : e.label === 'medium' ? 2 : e.label === 'mild' ? 1 : 4
}

/** An insult-only word counts when aimed at someone: "you dick", "what a massive cock", "Prick." */
export function insultCue(ctx: Ctx, first: number, last: number): boolean {
  const tokens = ctx.a.tokens
  const sentence = tokens[first]!.sentence
  let k = first - 1
  while (k >= 0 && tokens[k]!.sentence === sentence && SKIPPABLE.has(tokens[k]!.word)) k--
  if (k >= 0 && tokens[k]!.sentence === sentence) return CUES.has(tokens[k]!.word)
  const after = tokens[last + 1]
  return after === undefined || after.sentence !== sentence
}

/** Runs of single letters with little between them: `f u c k`, `F-U-C-K`, one per line. */
function spelled(ctx: Ctx, matcher: WordMatcher, covered: Uint8Array, found: WordFind[]) {
  for (const run of ctx.pieces().runs) {
    if (covered.subarray(run.first, run.last + 1).some(isSet)) continue
    for (const hit of matcher.matchSpelled(run.joined)) {
      const first = run.first + hit.index
      takeEntries(ctx, found, covered, [hit.entry], first, first + Math.max(1, hit.length) - 1)
    }
  }
}

/** A word cut in two: `c0ck w0mble`, `fu cking`, `wan ker`. */
function split(ctx: Ctx, matcher: WordMatcher, covered: Uint8Array, found: WordFind[]) {
  let skipUntil = -1
  for (const pair of ctx.pieces().pairs) {
    const i = pair.first
    if (i <= skipUntil || covered[i] || covered[i + 1]) continue
    const entries = matcher.matchOnce(pair.joined).filter(notInsult)
    if (entries.length > 0 && takeEntries(ctx, found, covered, entries, i, i + 1)) skipUntil = i + 1
  }
}

function isSet(c: number): boolean {
  return c === 1
}

function notInsult(e: WordEntry): boolean {
  return !e.insult
}
