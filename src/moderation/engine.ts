import { ConfigError } from '../errors.js'
import { type Lexicons, listOf, sectionsOf } from './lexicon.js'
import { PhraseIndex } from './phrase-index.js'
import { compilePhraseRules, type PhraseRule, type PhraseRuleSet } from './phrase-rules.js'
import { PhraseCompiler, spellings } from './phrases.js'
import { parseWordEntries, type WordEntry, WordMatcher } from './word-matcher.js'

/**
 * Everything the lexicons compile to, built once per lexicon folder and shared by every policy
 * that uses it (accounts' overrides only add small allow and block lists on top).
 */
export type Engine = {
  lexiconHash: string
  compiler: PhraseCompiler
  /** profanity.txt and slurs.txt in one matcher, so each word is looked up once */
  words: WordMatcher
  /**
   * Every phrase of every file in one index, so a comment is scanned once: the rules of the
   * phrase files, the spam cues, and multi-word profanity and slurs ("bell end")
   */
  phrases: PhraseIndex<PhrasePayload>
  allow: AllowList
  /** the entries of allow.txt, to merge with an account's own */
  allowEntries: string[]
  rules: Record<PhraseFile, PhraseRuleSet>
  givenNames: Set<string>
  /** single words of a set, e.g. {addressee}, {reporting} */
  wordSet(name: string): Set<string>
  /** the phrases of a set, for `needs:` and `unless:` */
  setIndex(name: string): PhraseIndex<true>
}

export type SpamCue = { weight: number; cue: number }
export type PhrasePayload =
  | { kind: 'rule'; file: PhraseFile; rule: PhraseRule }
  | { kind: 'spam'; cue: SpamCue }
  | { kind: 'word'; entry: WordEntry }
export type AllowList = { words: Set<string>; phrases: PhraseIndex<true> }

export const PHRASE_FILES = [
  'threat',
  'hate',
  'harassment',
  'defamation',
  'sub-judice',
  'personal-data',
  'safeguarding',
] as const
export type PhraseFile = (typeof PHRASE_FILES)[number]

const engines = new WeakMap<Lexicons, Engine>()

export function buildEngine(lex: Lexicons): Engine {
  const known = engines.get(lex)
  if (known) return known
  const sets = new Map<string, string[]>()
  for (const section of sectionsOf(lex, 'set')) {
    if (sets.has(section.name)) {
      throw new ConfigError(`lexicons/${section.file}: the set {${section.name}} is defined twice`)
    }
    sets.set(
      section.name,
      section.lines.map((l) => l.fields[0]!),
    )
  }
  const compiler = new PhraseCompiler((name) => sets.get(name))
  const profanityEntries = parseWordEntries(listOf(lex, 'profanity'), 'profanity.txt')
  const slurEntries = parseWordEntries(listOf(lex, 'slurs'), 'slurs.txt')
  const phrases = new PhraseIndex<PhrasePayload>()
  const rules = {} as Record<PhraseFile, PhraseRuleSet>
  for (const file of PHRASE_FILES) {
    const sections = lex.files.get(file)
    if (!sections) throw new ConfigError(`lexicons: ${file}.txt is missing from ${lex.dir}`)
    rules[file] = compilePhraseRules(sections, compiler, (phrase, rule) =>
      phrases.add(phrase, { kind: 'rule', file, rule }),
    )
  }
  addSpamCues(lex, compiler, phrases)
  for (const entry of [...profanityEntries, ...slurEntries]) {
    if (entry.phrase)
      phrases.add(compiler.phrase(entry.pattern, `lexicons/${entry.file}:${entry.line}`), {
        kind: 'word',
        entry,
      })
  }
  const allowEntries = listOf(lex, 'allow').map((l) => l.fields[0]!)
  const setIndexes = new Map<string, PhraseIndex<true>>()
  const wordSets = new Map<string, Set<string>>()
  const engine: Engine = {
    lexiconHash: lex.hash,
    compiler,
    words: new WordMatcher([...profanityEntries, ...slurEntries]),
    phrases,
    allow: compileAllow(allowEntries, compiler),
    allowEntries,
    rules,
    givenNames: new Set(listOf(lex, 'given-names').map((l) => l.fields[0]!.toLowerCase())),
    wordSet(name) {
      let set = wordSets.get(name)
      if (!set) {
        const entries = sets.get(name)
        if (!entries) throw new ConfigError(`lexicons: the set {${name}} is missing`)
        set = new Set(
          entries.filter((e) => !/\s/.test(e)).flatMap((e) => spellings(e.toLowerCase())),
        )
        wordSets.set(name, set)
      }
      return set
    },
    setIndex(name) {
      let index = setIndexes.get(name)
      if (!index) {
        index = new PhraseIndex<true>()
        for (const phrase of compiler.setPhrases(name, `set {${name}}`)) index.add(phrase, true)
        setIndexes.set(name, index)
      }
      return index
    },
  }
  engines.set(lex, engine)
  return engine
}

export function compileWordPhrases(
  entries: WordEntry[],
  compiler: PhraseCompiler,
): PhraseIndex<WordEntry> {
  const index = new PhraseIndex<WordEntry>()
  for (const e of entries) {
    if (e.phrase) index.add(compiler.phrase(e.pattern, `lexicons/${e.file}:${e.line}`), e)
  }
  return index
}

/** Allow-list entries: single words are compared whole, phrases matched word by word. */
export function compileAllow(entries: string[], compiler: PhraseCompiler): AllowList {
  const list: AllowList = { words: new Set<string>(), phrases: new PhraseIndex<true>() }
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase()
    if (entry === '') continue
    if (/\s/.test(entry)) list.phrases.add(compiler.phrase(entry, `allow: ${entry}`), true)
    else for (const form of spellings(entry)) list.words.add(form)
  }
  return list
}

function addSpamCues(
  lex: Lexicons,
  compiler: PhraseCompiler,
  index: PhraseIndex<PhrasePayload>,
): void {
  let cue = 0
  for (const section of sectionsOf(lex, 'cues')) {
    const weight = Number(section.args[0])
    if (!Number.isFinite(weight)) {
      throw new ConfigError(`lexicons/${section.file} [cues ${section.name}]: give a weight`)
    }
    for (const l of section.lines) {
      index.add(compiler.phrase(l.fields[0]!, `lexicons/${section.file}:${l.line}`), {
        kind: 'spam',
        cue: { weight, cue: cue++ },
      })
    }
  }
}
