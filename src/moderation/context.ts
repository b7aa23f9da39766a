import type { Engine, PhraseFile, SpamCue } from './engine.js'
import { type Analysed, origOf } from './normalise.js'
import type { PhraseHit } from './phrase-index.js'
import type { PhraseRule } from './phrase-rules.js'
import type { BlockList } from './policy.js'
import { scanWords, type WordFind } from './rules/words.js'
import type { Hit } from './types.js'
import type { WordEntry } from './word-matcher.js'

/**
 * What the rules of one comment share: the analysed text, the engine, the tokens an allow-list
 * masked, and lazily computed facts (does it name a person? contain a set?).
 */
export type Ctx = {
  a: Analysed
  engine: Engine
  /** 1 for tokens covered by an allow-list entry */
  masked: Uint8Array
  hits: Hit[]
  /** the account's block list */
  policyBlock: BlockList | null
  /** every phrase of the engine's index found in the comment, by kind (scanned once) */
  found: Found
  hasSet(name: string): boolean
  /** a named or titled person, an @handle, or a role such as "the council leader" */
  hasPerson(): boolean
  /** "I don't think …", "it's a myth that …" just before words from..to, or "… is a lie" after */
  negated(from: number, to: number): boolean
  /** quoted or reported in order to condemn it (counter-speech) */
  reported(start: number, end: number): boolean
  /** letters spelt out one by one, and words cut in two, to try against word lists */
  pieces(): Pieces
  /** every profanity and slur entry found, disguises included (scanned once) */
  wordFinds(): WordFind[]
}

/** Candidates for disguised words: runs of single letters (`f u c k`) and split pairs (`c0ck w0mble`). */
export type Pieces = {
  runs: Array<{ first: number; last: number; joined: string }>
  pairs: Array<{ first: number; joined: string }>
}

export type Found = {
  rules: Map<PhraseFile, Array<PhraseHit<PhraseRule>>>
  spam: Array<PhraseHit<SpamCue>>
  words: Array<PhraseHit<WordEntry>>
}

/** Where a phrase was found: words from..to (exclusive) and original offsets. */
export type Place = { from: number; to: number; start: number; end: number }

const PLACE_WORDS =
  /^(?:Road|Rd|Street|St|Lane|Avenue|Close|Drive|Way|Court|Crescent|Park|Hall|Centre|Center|School|Academy|Primary|College|Hotel|Arms|Inn|House|Square|Gardens|Grove|Terrace|Place|Bridge|Station|Hospital|Library|Estate|Green|Hill|Row|Walk|Rise)$/
const TITLES = new Set([
  'cllr',
  'councillor',
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'sir',
  'dame',
  'rev',
])
const AFTER_DENIAL =
  /^[^.]*?\b(?:is|are|s) (?:a |an |just |simply |total |utter )?(?:lie|lies|myth|nonsense|rubbish|false|untrue|wrong|racist|bigoted|not true)\b/
const REPORTED_BY = new Set([
  'call',
  'calls',
  'called',
  'calling',
  'word',
  'term',
  'slur',
  'shouted',
  'shouting',
])

export function createContext(
  a: Analysed,
  engine: Engine,
  masked: Uint8Array,
  policyBlock: BlockList | null,
): Ctx {
  const sets = new Map<string, boolean>()
  let person: boolean | undefined
  let pieces: Pieces | undefined
  let finds: WordFind[] | undefined
  const ctx: Ctx = {
    a,
    engine,
    masked,
    hits: [],
    policyBlock,
    found: findPhrases(a, engine),
    hasSet(name) {
      let found = sets.get(name)
      if (found === undefined) {
        found = engine.setIndex(name).any(a)
        sets.set(name, found)
      }
      return found
    },
    hasPerson() {
      if (person === undefined) person = namesPerson(a, engine) || ctx.hasSet('person_ref')
      return person
    },
    negated(from, to) {
      let lo = from
      while (lo > 0 && a.words[lo - 1] !== '.' && from - lo < 9) lo--
      if (lo < from && engine.setIndex('negation').any(a, lo, from)) return true
      const after = to < a.words.length ? a.view.slice(a.wordAt[to]!) : ''
      return AFTER_DENIAL.test(after)
    },
    reported(start, end) {
      return isReported(ctx, start, end)
    },
    pieces() {
      pieces ??= findPieces(a, masked)
      return pieces
    },
    wordFinds() {
      finds ??= scanWords(ctx, engine.words, ctx.found.words, null)
      return finds
    },
  }
  return ctx
}

const SHORT_WORDS = new Set(
  'a i an on in at to of is it be by we he me my no so up us or do go if as am oh ok rt ya im ur'.split(
    ' ',
  ),
)

/** A half of a split word: leet inside letters (`c0ck`), or a stray one or two letters. */
function odd(t: string): boolean {
  if (t.length > 2 && /^[a-z]+$/.test(t)) return false
  if (t.startsWith('@') || t.startsWith('#') || /^[^a-z]*$/.test(t)) return false
  return /[a-z][^a-z']|[^a-z'][a-z]/.test(t) || (t.length <= 2 && !SHORT_WORDS.has(t))
}

function findPieces(a: Analysed, masked: Uint8Array): Pieces {
  const tokens = a.tokens
  const out: Pieces = { runs: [], pairs: [] }
  let i = 0
  while (i < tokens.length) {
    if (tokens[i]!.raw.length !== 1 || masked[i]) {
      i++
      continue
    }
    let j = i + 1
    while (j < tokens.length && tokens[j]!.raw.length === 1 && !masked[j] && tokens[j]!.gap <= 3)
      j++
    if (j - i >= 3) {
      let joined = ''
      for (let k = i; k < j; k++) joined += tokens[k]!.raw
      out.runs.push({ first: i, last: j - 1, joined })
    }
    i = j
  }
  const isOdd = new Uint8Array(tokens.length)
  for (let k = 0; k < tokens.length; k++) isOdd[k] = odd(tokens[k]!.raw) ? 1 : 0
  for (let k = 0; k + 1 < tokens.length; k++) {
    if (!isOdd[k] && !isOdd[k + 1]) continue
    const x = tokens[k]!
    const y = tokens[k + 1]!
    if (masked[k] || masked[k + 1] || x.raw.length === 1 || y.raw.length === 1) continue
    if (!y.joinGap) continue
    out.pairs.push({ first: k, joined: x.raw + y.raw })
  }
  return out
}

function findPhrases(a: Analysed, engine: Engine): Found {
  const found: Found = { rules: new Map(), spam: [], words: [] }
  for (const hit of engine.phrases.find(a)) {
    const v = hit.value
    if (v.kind === 'spam') found.spam.push({ ...hit, value: v.cue })
    else if (v.kind === 'word') found.words.push({ ...hit, value: v.entry })
    else {
      const list = found.rules.get(v.file)
      const h = { ...hit, value: v.rule }
      if (list) list.push(h)
      else found.rules.set(v.file, [h])
    }
  }
  return found
}

function namesPerson(a: Analysed, engine: Engine): boolean {
  const t = a.tokens
  for (let i = 0; i < t.length; i++) {
    const tok = t[i]!
    const orig = origOf(a, tok)
    if (orig.startsWith('@') && orig.length > 2) return true
    const next = t[i + 1]
    const nextOrig = next ? origOf(a, next) : ''
    const capNext =
      next !== undefined && /^\p{Lu}/u.test(nextOrig) && next.sentence === tok.sentence
    if (TITLES.has(tok.word) && capNext) return true
    // @NOTE "Victoria Road", "Wesley Court": a first name that is really a street or a building
    const place = capNext && PLACE_WORDS.test(nextOrig)
    if (/^\p{Lu}\p{Ll}/u.test(orig) && engine.givenNames.has(tok.word) && !place) return true
    // @NOTE "J. Morley": an initial then a capitalised surname
    if (/^\p{Lu}$/u.test(orig) && next && /^\p{Lu}\p{Ll}/u.test(nextOrig) && next.dotGap)
      return true
  }
  return false
}

function isReported(ctx: Ctx, start: number, end: number): boolean {
  const { a } = ctx
  const first = a.tokens.findIndex((t) => t.end > start)
  if (first < 0) return false
  const tok = a.tokens[first]!
  const condemned = ctx.hasSet('condemnation')
  if (tok.quote >= 0) {
    const q = a.quotes[tok.quote]!
    if (end > q.end) return false
    if (condemned) return true
    // @NOTE a quotation introduced by "shouted", "called", "sprayed" is reported speech
    const reporting = ctx.engine.wordSet('reporting')
    return a.tokens
      .filter((t) => t.end <= q.start)
      .slice(-6)
      .some((t) => reporting.has(t.word))
  }
  if (!condemned) return false
  return a.tokens.slice(Math.max(0, first - 3), first).some((t) => REPORTED_BY.has(t.word))
}

/** Does the comment pass a phrase rule's options (needs:, unless:, negation, counter-speech)? */
export function passesOptions(ctx: Ctx, rule: PhraseRule, m: Place): boolean {
  for (const need of rule.needs) {
    const ok =
      need === 'person'
        ? ctx.hasPerson()
        : need === 'accusable'
          ? ctx.hasPerson() || ctx.hasSet('accusable')
          : ctx.hasSet(need)
    if (!ok) return false
  }
  for (const unless of rule.unless) if (ctx.hasSet(unless)) return false
  if (rule.unlessNegated && ctx.negated(m.from, m.to)) return false
  if (rule.unlessReported && ctx.reported(m.start, m.end)) return false
  return true
}
