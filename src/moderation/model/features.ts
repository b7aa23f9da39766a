import { bare, disowns, negationScope } from '../context/negation.js'
import { isCounterSpeech, reportedScope } from '../context/quotes.js'
import { targetsOf } from '../context/targets.js'
import type { Analysed, Token } from '../normalise.js'

/**
 * The model's view of a comment: hashed word 1–2-grams and character 2–5-grams of the
 * normalised words (disguises undone by normalise.ts), with context marked in:
 * - a word inside a negation's reach is a different feature from the same word outside it
 *   ("not … vermin" is not "vermin");
 * - a word inside a quotation or reported speech likewise ("he shouted '…'");
 * - whole-comment flags: counter-speech, a disowned claim, a protected group or a politician named.
 * Every feature remembers the characters it came from, so a decision can point at the words.
 */
export type Features = {
  count: number
  /** bucket of each feature */
  bucket: Int32Array
  /** signed, normalised value */
  value: Float32Array
  /** original character offsets the feature came from (-1 for whole-comment flags) */
  start: Int32Array
  end: Int32Array
}

export type FeatureContext = {
  /** 1 for words an allow-list covers (Scunthorpe, Penistone, a local name): seen only as "allowed" */
  allowed: Uint8Array
  negated: Uint8Array
  reported: Uint8Array
  counterSpeech: boolean
  disowned: boolean
  groups: number
  political: number
}

const MAX_TOKENS = 400

export function contextOf(a: Analysed, allowed?: Uint8Array): FeatureContext {
  const reported = reportedScope(a)
  const targets = targetsOf(a)
  return {
    allowed: allowed ?? new Uint8Array(a.tokens.length),
    negated: negationScope(a),
    reported,
    counterSpeech: isCounterSpeech(a, reported),
    disowned: disowns(a),
    groups: targets.groups.length,
    political: targets.political.length,
  }
}

/** Seeds that keep each kind of feature in its own hash family. */
const KIND = {
  word: 0x9e37,
  neg: 0x7f4a,
  rep: 0x3c6e,
  bigram: 0x5bd1,
  char: 0x1b87,
  flag: 0x2545,
  emoji: 0x6a09,
}

class Builder {
  count = 0
  bucket: Int32Array
  value: Float32Array
  start: Int32Array
  end: Int32Array
  readonly mask: number
  constructor(mask: number, capacity: number) {
    this.mask = mask
    this.bucket = new Int32Array(capacity)
    this.value = new Float32Array(capacity)
    this.start = new Int32Array(capacity)
    this.end = new Int32Array(capacity)
  }
  push(hash: number, start: number, end: number): void {
    if (this.count === this.bucket.length) this.grow()
    const h = fmix(hash)
    this.bucket[this.count] = h & this.mask
    this.value[this.count] = h < 0 ? -1 : 1
    this.start[this.count] = start
    this.end[this.count] = end
    this.count++
  }
  /** scales the features from `from` on so that their block has unit length */
  /**
   * Scales the features from `from` on to unit length, counting at least `least` of them.
   * @NOTE without the floor a three-word comment's words weigh as much as a paragraph's whole
   * vocabulary, and one word ("comment", "message") can decide it
   */
  normalise(from: number, least: number): void {
    const n = this.count - from
    if (n === 0) return
    const k = 1 / Math.sqrt(Math.max(n, least))
    for (let i = from; i < this.count; i++) this.value[i]! *= k
  }
  private grow(): void {
    const size = this.bucket.length * 2
    const copy = <T extends Int32Array | Float32Array>(a: T, b: T) => {
      b.set(a)
      return b
    }
    this.bucket = copy(this.bucket, new Int32Array(size))
    this.value = copy(this.value, new Float32Array(size))
    this.start = copy(this.start, new Int32Array(size))
    this.end = copy(this.end, new Int32Array(size))
  }
}

/** FNV-1a over a string, continuing from `h`. */
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return h
}

/** murmur3's finaliser: spreads FNV's weak low bits before the bucket is taken. */
function fmix(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

/** A word as the model sees it: apostrophes gone, runs of a letter cut to two, numbers as 0s. */
export function modelWord(t: Token): string {
  let w = bare(t)
  if (w.startsWith('@') && w.length > 1) return '@user'
  if (/\d/.test(w)) w = w.replace(/\d/g, '0')
  return w.replace(/(.)\1{2,}/g, '$1$1')
}

const EMOJI = /\p{Extended_Pictographic}/gu

export function featurise(a: Analysed, ctx: FeatureContext, bits: number): Features {
  const mask = (1 << bits) - 1
  const tokens = a.tokens.length > MAX_TOKENS ? a.tokens.slice(0, MAX_TOKENS) : a.tokens
  const b = new Builder(mask, 64 + tokens.length * 24)
  // @NOTE an allow-listed word (a place, a name) must not look like the slur inside it
  const words = tokens.map((t, i) => (ctx.allowed[i] ? '<allowed>' : modelWord(t)))

  // words and bigrams
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    const kind = ctx.reported[i] ? KIND.rep : ctx.negated[i] ? KIND.neg : KIND.word
    b.push(fnv(kind, words[i]!), t.start, t.end)
    const next = tokens[i + 1]
    if (next && next.brk !== 2) {
      const seed = ctx.negated[i + 1] ? KIND.neg ^ KIND.bigram : KIND.bigram
      b.push(fnv(fnv(seed, words[i]!), ` ${words[i + 1]!}`), t.start, next.end)
    }
  }
  for (const run of letterRuns(tokens)) {
    b.push(fnv(KIND.word, run.word), run.start, run.end)
  }
  b.normalise(0, 12)

  // character n-grams of each word, word boundaries marked
  const chars = b.count
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (ctx.allowed[i]) continue
    const w = `<${words[i]!}>`
    for (let s = 0; s + 2 <= w.length; s++) {
      let h = fnv(KIND.char, '')
      for (let n = 1; n <= 5 && s + n <= w.length; n++) {
        h = Math.imul(h ^ w.charCodeAt(s + n - 1), 16777619)
        if (n >= 2) b.push(h ^ n, t.start, t.end)
      }
    }
  }
  b.normalise(chars, 60)

  // emoji, and what the context detectors found
  const flags = b.count
  for (const m of a.text.matchAll(EMOJI))
    b.push(fnv(KIND.emoji, m[0]), m.index, m.index + m[0].length)
  if (ctx.counterSpeech) b.push(fnv(KIND.flag, 'counter'), -1, -1)
  if (ctx.disowned) b.push(fnv(KIND.flag, 'disown'), -1, -1)
  if (ctx.groups > 0) b.push(fnv(KIND.flag, 'group'), -1, -1)
  if (ctx.political > 0) b.push(fnv(KIND.flag, 'political'), -1, -1)
  b.normalise(flags, 1)
  return { count: b.count, bucket: b.bucket, value: b.value, start: b.start, end: b.end }
}

/** Letters spelt out one by one ("f u c k", "c.u.n.t"), joined into the word they spell. */
function letterRuns(tokens: readonly Token[]) {
  const runs: { word: string; start: number; end: number }[] = []
  let i = 0
  while (i < tokens.length) {
    if (tokens[i]!.word.length !== 1) {
      i++
      continue
    }
    let j = i + 1
    while (j < tokens.length && tokens[j]!.word.length === 1 && tokens[j]!.gap <= 3) j++
    if (j - i >= 3) {
      const word = tokens
        .slice(i, j)
        .map((t) => t.word)
        .join('')
      runs.push({ word, start: tokens[i]!.start, end: tokens[j - 1]!.end })
    }
    i = j
  }
  return runs
}
