import { ConfigError } from '../errors.js'

/**
 * Phrase patterns, written in lexicon files in a small, readable syntax and matched word by word
 * against an analysed comment (`words`: lower case, `,` and `.` as words):
 *
 *   word        that word (apostrophes optional: i'm = im, but we'll is not well)
 *   word*       any word starting so (stab* = stab, stabbed, stabbing)
 *   a/b/c       one of these single words
 *   [x y]       x y is optional (any items)
 *   {set}       any phrase of the named set (`[set name]` sections)
 *   ...         up to three other words in the same sentence
 *   ^           (first) the phrase must start a sentence
 *   /regex/     one word matching a regular expression (it may look around the word)
 *
 * @NOTE phrases are indexed by the words they can start with, so a comment is only tried
 * against phrases whose first word it contains: thousands of phrases cost almost nothing.
 */
export type WordTest = { exact: Set<string>; prefixes: string[]; regex: RegExp | null }
export type Item =
  | { k: 'word'; test: WordTest }
  | { k: 'opt'; seq: Item[] }
  | { k: 'set'; set: CompiledSet }
  | { k: 'gap' }
export type CompiledSet = {
  id: number
  name: string
  alts: Item[][]
  first?: First
  required?: Set<string> | null
}
export type First = { exact: Set<string>; prefixes: string[]; wild: boolean; nullable: boolean }

export type SetSource = (name: string) => string[] | undefined
export type Phrase = { items: Item[]; sentenceStart: boolean }

export class PhraseCompiler {
  readonly #sets: SetSource
  readonly #compiled = new Map<string, CompiledSet>()

  constructor(sets: SetSource) {
    this.#sets = sets
  }

  phrase(text: string, where: string): Phrase {
    const parts = splitItems(text)
    let sentenceStart = false
    if (parts[0] === '^') {
      sentenceStart = true
      parts.shift()
    }
    if (parts.length === 0) throw new ConfigError(`${where}: empty phrase`)
    return { items: this.#sequence(parts, where), sentenceStart }
  }

  /** The phrases of a set, each as its own phrase (for `needs:` and `unless:` checks). */
  setPhrases(name: string, where: string): Phrase[] {
    return this.set(name, where).alts.map((items) => ({ items, sentenceStart: false }))
  }

  set(name: string, where: string): CompiledSet {
    const known = this.#compiled.get(name)
    if (known) {
      if (known.alts.length === 0 && this.#sets(name)?.length) {
        throw new ConfigError(`${where}: set {${name}} refers to itself`)
      }
      return known
    }
    const phrases = this.#sets(name)
    if (!phrases) throw new ConfigError(`${where}: unknown set {${name}}`)
    const set: CompiledSet = { id: this.#compiled.size, name, alts: [] }
    this.#compiled.set(name, set)
    const alts = phrases.map((p) => this.#sequence(splitItems(p), `${where} {${name}}`))
    // @NOTE longest first, so "trans women" wins over "trans" and the match shows both words
    alts.sort((a, b) => b.length - a.length)
    set.alts.push(...alts)
    return set
  }

  #sequence(parts: string[], where: string): Item[] {
    return parts.map((part) => this.#item(part, where))
  }

  #item(part: string, where: string): Item {
    if (part === '...') return { k: 'gap' }
    if (part.startsWith('[') && part.endsWith(']')) {
      return { k: 'opt', seq: this.#sequence(splitItems(part.slice(1, -1)), where) }
    }
    if (part.startsWith('{') && part.endsWith('}'))
      return { k: 'set', set: this.set(part.slice(1, -1), where) }
    if (part.length > 2 && part.startsWith('/') && part.endsWith('/')) {
      let regex: RegExp
      try {
        regex = new RegExp(`(?:${part.slice(1, -1)})(?= )`, 'y')
      } catch (err) {
        throw new ConfigError(
          `${where}: bad regular expression ${part} (${(err as Error).message})`,
        )
      }
      return { k: 'word', test: { exact: new Set(), prefixes: [], regex } }
    }
    const test: WordTest = { exact: new Set(), prefixes: [], regex: null }
    for (const alt of part.split('/')) {
      const w = alt.toLowerCase()
      if (w === '' || w === '*') throw new ConfigError(`${where}: empty word in ${part}`)
      for (const form of spellings(w)) {
        if (form.endsWith('*')) test.prefixes.push(form.slice(0, -1))
        else test.exact.add(form)
      }
    }
    return { k: 'word', test }
  }
}

// @NOTE written without its apostrophe, each of these is another common word
const NOT_CONTRACTIONS = new Set(['well', 'were', 'shell', 'hell', 'wed', 'its', 'shed', 'hed'])

/** A word and, for a contraction, its spelling without the apostrophe (i'm, im). */
export function spellings(word: string): string[] {
  if (!word.includes("'")) return [word]
  const bare = word.replace(/'/g, '')
  return NOT_CONTRACTIONS.has(bare.replace(/\*$/, '')) ? [word] : [word, bare]
}

/** Split on spaces; `[optional words]` stays one item even when it holds spaces. */
function splitItems(text: string): string[] {
  const items: string[] = []
  let open: string[] | null = null
  for (const part of text.trim().split(/\s+/)) {
    if (part === '') continue
    if (open) {
      open.push(part)
      if (part.endsWith(']')) {
        items.push(open.join(' '))
        open = null
      }
    } else if (part.startsWith('[') && !part.endsWith(']')) {
      open = [part]
    } else {
      items.push(part)
    }
  }
  if (open) items.push(...open)
  return items
}

export function firstOf(items: Item[], k = 0, seen = new Set<CompiledSet>()): First {
  const out: First = { exact: new Set(), prefixes: [], wild: false, nullable: true }
  for (let i = k; i < items.length; i++) {
    const item = items[i]!
    let f: First
    if (item.k === 'word') {
      const { exact, prefixes, regex } = item.test
      const hint = regex ? /^[a-z@#]+/.exec(regex.source.slice(3))?.[0] : undefined
      f = {
        exact,
        prefixes: hint ? [...prefixes, hint] : prefixes,
        wild: regex !== null && !hint,
        nullable: false,
      }
    } else if (item.k === 'gap') {
      f = { exact: new Set(), prefixes: [], wild: true, nullable: true }
    } else if (item.k === 'opt') {
      f = { ...firstOf(item.seq, 0, seen), nullable: true }
    } else if (item.set.first) {
      f = item.set.first
    } else if (seen.has(item.set)) {
      f = { exact: new Set(), prefixes: [], wild: true, nullable: false }
    } else {
      seen.add(item.set)
      f = { exact: new Set(), prefixes: [], wild: false, nullable: false }
      for (const alt of item.set.alts) {
        const g = firstOf(alt, 0, seen)
        for (const w of g.exact) f.exact.add(w)
        f.prefixes.push(...g.prefixes)
        f.wild ||= g.wild
        f.nullable ||= g.nullable
      }
      seen.delete(item.set)
      item.set.first = f
    }
    for (const w of f.exact) out.exact.add(w)
    out.prefixes.push(...f.prefixes)
    out.wild ||= f.wild
    if (!f.nullable) {
      out.nullable = false
      return out
    }
  }
  return out
}

/**
 * Words one of which must appear for items[from..] to match: from the most selective item that
 * cannot be skipped. Null when every item can be skipped or matches open-ended words.
 */
export function requiredWords(
  items: Item[],
  from: number,
  seen = new Set<CompiledSet>(),
): Set<string> | null {
  let best: Set<string> | null = null
  for (let i = from; i < items.length; i++) {
    const item = items[i]!
    let req: Set<string> | null = null
    if (item.k === 'word') {
      if (item.test.prefixes.length === 0 && item.test.regex === null) req = item.test.exact
    } else if (item.k === 'set' && item.set.required !== undefined) {
      req = item.set.required
    } else if (item.k === 'set' && !seen.has(item.set)) {
      seen.add(item.set)
      req = new Set()
      for (const alt of item.set.alts) {
        const r = requiredWords(alt, 0, seen)
        if (!r) {
          req = null
          break
        }
        for (const w of r) req.add(w)
      }
      seen.delete(item.set)
      item.set.required = req
    }
    if (req && req.size > 0 && (!best || cost(req) < cost(best))) best = req
  }
  return best
}

// @NOTE words in most comments say little about which phrase might match: a set of forty rare
// words is a better test than "you"
const COMMON = new Set(
  (
    'a an the i me my you your he him his she her it its we us our they them their this that ' +
    'these those is are was were be been am do does did to of and or in on at for with by from ' +
    'as so if not no all just get got go going will would can could should what who there here ' +
    "up out about one ill i'll im i'm youre you're dont don't"
  ).split(' '),
)

function cost(words: Set<string>): number {
  let n = 0
  for (const w of words) n += COMMON.has(w) ? 1000 : 1
  return n
}
