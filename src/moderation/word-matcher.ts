import type { LexiconLine } from './lexicon.js'

/**
 * Single-word lexicon entries (profanity, slurs) compiled to patterns that see through
 * disguises: every letter also accepts its leetspeak stand-ins (a: 4 @, i: 1 ! |, s: 5 $ …),
 * a vowel may be masked by `*`, and any letter may be repeated (fuuuck). Entries are written
 * plainly; `word*` also matches longer words, `*word*` matches inside a word, a plain word
 * also matches its plural.
 */
export type WordEntry = {
  /** the entry as written in the lexicon, e.g. `twat*` */
  pattern: string
  /** the entry's second column: a level (mild, medium, strong) or a characteristic */
  label: string
  /** only counts when aimed at someone (`you dick`, `what a dick`) */
  insult: boolean
  /** a multi-word entry ("bell end"), matched on the phrase view instead */
  phrase: boolean
  file: string
  line: number
}

type Compiled = { entry: WordEntry; re: RegExp; loose: RegExp | null }

const CLASSES: Record<string, string> = {
  a: 'a4@',
  b: 'b8',
  e: 'e3€',
  g: 'g9',
  i: 'i1!|',
  l: 'l1|!',
  o: 'o0',
  s: 's5$',
  t: 't7+',
  u: 'uv',
}
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u'])

function charClass(ch: string, first: boolean): string {
  let chars = CLASSES[ch] ?? ch
  if (!first && VOWELS.has(ch)) chars += '*'
  return `[${chars.replace(/[\]\\^-]/g, '\\$&')}]`
}

/** The letters of an entry as a regex body: runs of one letter become `class{n,}`. */
function body(core: string): string {
  let out = ''
  for (let k = 0; k < core.length; ) {
    let n = 1
    while (core[k + n] === core[k]) n++
    out += `${charClass(core[k]!, k === 0)}${n === 1 ? '+' : `{${n},}`}`
    k += n
  }
  return out
}

export function parseWordEntries(lines: LexiconLine[], file: string): WordEntry[] {
  return lines.map((l) => ({
    pattern: l.fields[0]!.toLowerCase(),
    label: (l.fields[1] ?? '').toLowerCase(),
    insult: (l.fields[2] ?? '')
      .toLowerCase()
      .split(/[\s,]+/)
      .includes('insult'),
    phrase: /\s/.test(l.fields[0]!),
    file,
    line: l.line,
  }))
}

export class WordMatcher {
  readonly entries: WordEntry[]
  readonly #byFirst = new Map<string, { any: RegExp; list: Compiled[] }>()
  readonly #anywhere: Compiled[] = []
  readonly #all: Compiled[] = []
  readonly #maskWords: Array<{ word: string; entry: WordEntry }> = []
  #anySpelled: RegExp = /(?!)/u
  // @NOTE the same words come up in comment after comment: remember each word's answer
  #cache = new Map<string, WordEntry[]>()
  #older = new Map<string, WordEntry[]>()

  constructor(entries: WordEntry[]) {
    this.entries = entries
    const groups = new Map<string, Compiled[]>()
    for (const entry of entries) {
      if (entry.phrase) continue
      const contains = entry.pattern.startsWith('*')
      const prefix = entry.pattern.endsWith('*')
      const core = entry.pattern.replace(/^\*|\*$/g, '')
      if (core === '') continue
      const inner = body(core)
      const source = contains
        ? `^.*?${inner}.*$`
        : prefix
          ? `^${inner}.*$`
          : `^${inner}(?:s|es|'s|z)?[^\\p{L}\\p{N}]*$`
      const compiled: Compiled = {
        entry,
        re: new RegExp(source, 'u'),
        loose: core.length >= 4 && !entry.insult ? new RegExp(inner, 'u') : null,
      }
      this.#all.push(compiled)
      if (contains) {
        this.#anywhere.push(compiled)
      } else {
        for (const ch of CLASSES[core[0]!] ?? core[0]!) {
          const list = groups.get(ch) ?? []
          list.push(compiled)
          groups.set(ch, list)
        }
      }
      for (const form of prefix || contains
        ? ['', 's', 'ing', 'in', 'er', 'ers', 'ed']
        : ['', 's']) {
        this.#maskWords.push({ word: core + form, entry })
      }
    }
    // @NOTE one pass to reject a spelt-out run before trying each entry
    this.#anySpelled = new RegExp(
      this.#all.map((c) => (c.loose ? c.loose.source : c.re.source)).join('|') || '(?!)',
      'u',
    )
    for (const [ch, list] of groups) {
      const any = new RegExp(list.map((c) => `(?:${c.re.source})`).join('|'), 'u')
      this.#byFirst.set(ch, { any, list })
    }
  }

  /** Entries matching one token (its `raw` form: lower case, symbols kept). */
  match(raw: string): WordEntry[] {
    const known = this.#cache.get(raw)
    if (known) return known
    // @NOTE two generations: a full cache becomes the older one, so common words survive
    const out = this.#older.get(raw) ?? this.#match(raw)
    if (this.#cache.size >= 50_000) {
      this.#older = this.#cache
      this.#cache = new Map()
    }
    this.#cache.set(raw, out)
    return out
  }

  /** As `match`, without remembering the answer (for one-off strings such as joined halves). */
  matchOnce(raw: string): WordEntry[] {
    return this.#cache.get(raw) ?? this.#older.get(raw) ?? this.#match(raw)
  }

  #match(raw: string): WordEntry[] {
    const out: WordEntry[] = []
    const group = this.#byFirst.get(raw[0] ?? '')
    if (group?.any.test(raw)) {
      for (const c of group.list) if (c.re.test(raw)) out.push(c.entry)
    }
    for (const c of this.#anywhere) if (c.re.test(raw)) out.push(c.entry)
    if (out.length === 0 && raw.includes('*')) out.push(...this.matchMasked(raw))
    return out
  }

  /**
   * A word with letters hidden by asterisks (`f***`, `f*kin`, `c**t`): a run of n stars stands
   * for n-1 to n+1 letters. Needs a letter first so that `*sigh*` and `5*` are not words.
   */
  matchMasked(raw: string): WordEntry[] {
    const token = raw.replace(/[^\p{L}\p{N}*@$!|]+$/u, '')
    if (token.length < 3 || !/^\p{L}/u.test(token) || !token.includes('*')) return []
    let source = '^'
    for (let k = 0; k < token.length; ) {
      if (token[k] === '*') {
        let n = 1
        while (token[k + n] === '*') n++
        source += `[a-z]{${Math.max(1, n - 1)},${n + 1}}`
        k += n
      } else {
        const ch = token[k]!
        source += /[a-z]/.test(ch)
          ? ch
          : `[${(CLASSES_BY_SYMBOL[ch] ?? ch).replace(/[\]\\^-]/g, '\\$&')}]`
        k++
      }
    }
    const re = new RegExp(`${source}$`)
    const seen = new Set<WordEntry>()
    for (const m of this.#maskWords) {
      if (!seen.has(m.entry) && !m.entry.insult && re.test(m.word)) seen.add(m.entry)
    }
    return [...seen]
  }

  /**
   * A word spelt out letter by letter (`f u c k`, `c.u.n.t`, one letter per line): the joined
   * letters may hold the word anywhere (`a f u c k i n g`) or be exactly a short one (`s t f u`).
   */
  matchSpelled(joined: string): Array<{ entry: WordEntry; index: number; length: number }> {
    const out: Array<{ entry: WordEntry; index: number; length: number }> = []
    if (!this.#anySpelled.test(joined)) return out
    for (const c of this.#all) {
      const m = c.loose?.exec(joined)
      if (m) out.push({ entry: c.entry, index: m.index, length: m[0].length })
      else if (c.re.test(joined)) out.push({ entry: c.entry, index: 0, length: joined.length })
    }
    return out
  }
}

const CLASSES_BY_SYMBOL: Record<string, string> = {
  '4': 'a',
  '@': 'a',
  '3': 'e',
  '€': 'e',
  '1': 'il',
  '!': 'il',
  '|': 'il',
  '0': 'o',
  '5': 's',
  $: 's',
  '7': 't',
  '+': 't',
  '8': 'b',
  '9': 'g',
}
