import type { Analysed } from './normalise.js'
import {
  type CompiledSet,
  firstOf,
  type Item,
  type Phrase,
  requiredWords,
  type WordTest,
} from './phrases.js'

const GAP_WORDS = 3

function put<K>(map: Map<K, number[]>, key: K, id: number): void {
  const list = map.get(key)
  if (!list) map.set(key, [id])
  else if (list[list.length - 1] !== id) list.push(id)
}

/** The first one or two characters of a word as a number, to look prefixes up without slicing. */
function startKey(w: string, n: number): number {
  return n === 1 ? w.charCodeAt(0) : w.charCodeAt(0) * 65_536 + w.charCodeAt(1) + 0x1_0000_0000
}

export type PhraseHit<T> = { value: T; from: number; to: number; start: number; end: number }

/**
 * Phrases with a payload each (a rule, a cue weight, a lexicon entry), matched against an
 * analysed comment word by word. Phrases are indexed by the words they can start with, and a
 * comment only wakes the phrases whose needed words it contains: hundreds of phrases cost little
 * per comment.
 */
export class PhraseIndex<T> {
  readonly #phrases: Phrase[] = []
  readonly #values: T[] = []
  readonly #byWord = new Map<string, number[]>()
  /** phrases whose first word is a prefix (`stab*`), by its first one or two letters */
  readonly #byStart = new Map<number, number[]>()
  readonly #wild: number[] = []
  /** phrases by a word they cannot match without (its most selective item), and the rest */
  readonly #byNeed = new Map<string, number[]>()
  readonly #always: number[] = []

  get size(): number {
    return this.#phrases.length
  }

  add(phrase: Phrase, value: T): void {
    const id = this.#phrases.length
    this.#phrases.push(phrase)
    const needs = requiredWords(phrase.items, 0)
    if (needs) for (const w of needs) put(this.#byNeed, w, id)
    else this.#always.push(id)
    this.#values.push(value)
    const first = firstOf(phrase.items)
    const prefixShort = first.prefixes.some((p) => p.length === 0)
    if (first.wild || first.nullable || prefixShort) {
      this.#wild.push(id)
      return
    }
    for (const w of first.exact) put(this.#byWord, w, id)
    for (const p of first.prefixes) put(this.#byStart, startKey(p, Math.min(2, p.length)), id)
  }

  /** The phrases that may start with word `w`, in up to four lists (no allocation). */
  #list(w: string, which: number): number[] | undefined {
    switch (which) {
      case 0:
        return this.#byWord.get(w)
      case 1:
        return this.#byStart.size > 0 ? this.#byStart.get(startKey(w, 1)) : undefined
      case 2:
        return this.#byStart.size > 0 && w.length > 1
          ? this.#byStart.get(startKey(w, 2))
          : undefined
      default:
        return this.#wild.length > 0 ? this.#wild : undefined
    }
  }

  /** Which phrases could match at all: those whose needed words the comment contains. */
  #active(a: Analysed): Uint8Array {
    const active = new Uint8Array(this.#phrases.length)
    for (const id of this.#always) active[id] = 1
    for (const w of a.words) {
      const ids = this.#byNeed.get(w)
      if (ids) for (const id of ids) active[id] = 1
    }
    return active
  }

  #endAt(a: Analysed, pos: number, id: number): number {
    const phrase = this.#phrases[id]!
    if (phrase.sentenceStart && pos > 0 && a.words[pos - 1] !== '.') return -1
    return matchItems(phrase.items, 0, pos, a, null, null)
  }

  /** Every phrase found, at most one per phrase and start word, in order of position. */
  find(a: Analysed, from = 0, to = a.words.length): Array<PhraseHit<T>> {
    const out: Array<PhraseHit<T>> = []
    let lastEnd: Map<number, number> | null = null
    const active = this.#active(a)
    for (let pos = from; pos < to; pos++) {
      const w = a.words[pos]!
      if (w === '.' || w === ',') continue
      for (let l = 0; l < 4; l++) {
        const ids = this.#list(w, l)
        if (!ids) continue
        for (const id of ids) {
          if (!active[id]) continue
          // @NOTE one hit per phrase for overlapping matches: "kill kill kill you" is one threat
          if (lastEnd && (lastEnd.get(id) ?? -1) > pos) continue
          const end = this.#endAt(a, pos, id)
          if (end <= pos) continue
          lastEnd ??= new Map()
          lastEnd.set(id, end)
          const span = spanOfWords(a, pos, end)
          if (span) out.push({ value: this.#values[id]!, from: pos, to: end, ...span })
        }
      }
    }
    return out
  }

  /** Is any phrase found (starting) between words `from` and `to`? */
  any(a: Analysed, from = 0, to = a.words.length): boolean {
    const active = this.#active(a)
    for (let pos = from; pos < to; pos++) {
      const w = a.words[pos]!
      if (w === '.' || w === ',') continue
      for (let l = 0; l < 4; l++) {
        const ids = this.#list(w, l)
        if (!ids) continue
        for (const id of ids) if (active[id] && this.#endAt(a, pos, id) > pos) return true
      }
    }
    return false
  }
}

// @NOTE where a set's phrases can end when started at a word, worked out once per comment:
// dozens of rules start with {me} or {group}, and they all share the answer
function setEnds(set: CompiledSet, pos: number, a: Analysed): number[] {
  const key = set.id * 65_536 + pos
  let memo = a.memo
  if (!memo) {
    memo = new Map()
    a.memo = memo
  }
  const known = memo.get(key)
  if (known) return known
  const ends: number[] = []
  for (const alt of set.alts) matchItems(alt, 0, pos, a, null, ends)
  // @NOTE longest first, as a regex alternation of longest-first phrases would
  ends.sort((x, y) => y - x)
  memo.set(key, ends)
  return ends
}

function testWord(test: WordTest, a: Analysed, pos: number): boolean {
  const w = a.words[pos]
  if (w === undefined) return false
  if (test.exact.has(w)) return true
  if (w === '.' || w === ',') return false
  for (const p of test.prefixes) if (w.startsWith(p)) return true
  if (test.regex) {
    test.regex.lastIndex = a.wordAt[pos]!
    return test.regex.test(a.view)
  }
  return false
}

/** What comes after a finished sequence: the rest of an enclosing one. */
type Cont = { items: Item[]; k: number; next: Cont } | null

/**
 * Depth-first match of items[k..] at word `pos`, then of `cont`. Returns where the match ends,
 * or -1. With `all`, every way to end is collected into it instead (and -1 returned).
 * @NOTE no closures here: this runs for every candidate phrase and must not allocate much
 */
function matchItems(
  items: Item[],
  k: number,
  pos: number,
  a: Analysed,
  cont: Cont,
  all: number[] | null,
): number {
  if (k === items.length) {
    if (cont) return matchItems(cont.items, cont.k, pos, a, cont.next, all)
    if (all) {
      if (!all.includes(pos)) all.push(pos)
      return -1
    }
    return pos
  }
  const item = items[k]!
  switch (item.k) {
    case 'word': {
      if (!testWord(item.test, a, pos)) return -1
      // @NOTE a comma may follow any word: "nice house , shame if …"
      if (a.words[pos + 1] === ',') {
        const r = matchItems(items, k + 1, pos + 2, a, cont, all)
        if (r >= 0) return r
      }
      return matchItems(items, k + 1, pos + 1, a, cont, all)
    }
    case 'opt': {
      const r = matchItems(item.seq, 0, pos, a, { items, k: k + 1, next: cont }, all)
      return r >= 0 ? r : matchItems(items, k + 1, pos, a, cont, all)
    }
    case 'set': {
      for (const end of setEnds(item.set, pos, a)) {
        const r = matchItems(items, k + 1, end, a, cont, all)
        if (r >= 0) return r
      }
      return -1
    }
    case 'gap': {
      let p = pos
      for (let skipped = 0; skipped <= GAP_WORDS; skipped++) {
        const r = matchItems(items, k + 1, p, a, cont, all)
        if (r >= 0) return r
        while (a.words[p] === ',') p++
        const w = a.words[p]
        if (w === undefined || w === '.') return -1
        p++
      }
      return -1
    }
  }
}

/** Original-text offsets of words from..to (exclusive), separators ignored. */
export function spanOfWords(
  a: Analysed,
  from: number,
  to: number,
): { start: number; end: number } | null {
  let i = from
  while (i < to && a.wordToken[i]! < 0) i++
  let j = to - 1
  while (j > i && a.wordToken[j]! < 0) j--
  const first = a.tokens[a.wordToken[i]!]
  const last = a.tokens[a.wordToken[j]!]
  return first && last ? { start: first.start, end: last.end } : null
}
