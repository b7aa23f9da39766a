import { join } from 'node:path'
import { buildEngine } from '../src/moderation/engine.js'
import { loadLexicons } from '../src/moderation/lexicon.js'
import { analyse } from '../src/moderation/normalise.js'
import { PhraseIndex } from '../src/moderation/phrase-index.js'

/**
 * Lexicon hygiene: which texts each multi-word phrase of the lexicons fires on. A phrase that
 * only one labelled comment ever matches is a memorised sentence, not a rule.
 * @NOTE allow.txt, places.txt and given-names.txt are exempt: they are names that stop rules
 * firing (Bell End, Penistone), not rules learnt from comments.
 */
export type PhraseEntry = { file: string; line: number; text: string }

const EXEMPT = new Set(['allow', 'places', 'given-names'])

export function multiWordPhrases(lexiconDir: string): PhraseEntry[] {
  const lex = loadLexicons(lexiconDir)
  const out: PhraseEntry[] = []
  for (const [file, sections] of lex.files) {
    if (EXEMPT.has(file)) continue
    for (const section of sections) {
      for (const l of section.lines) {
        const text = l.fields[0]!.trim()
        // @NOTE a bare {set} or a single word (with its wildcards) is exempt
        if (!/\s/.test(text) || /^\{[^}]+\}$/.test(text) || text.startsWith('/')) continue
        out.push({ file: `${file}.txt`, line: l.line, text })
      }
    }
  }
  return out
}

/**
 * For each phrase: the keys of the texts it matches (a text's key groups twins, so a pair
 * counts once as independent support).
 */
export function phraseSupport(
  lexiconDir: string,
  texts: { text: string; key: string }[],
): Map<PhraseEntry, Set<string>> {
  const engine = buildEngine(loadLexicons(lexiconDir))
  const entries = multiWordPhrases(lexiconDir)
  const index = new PhraseIndex<number>()
  entries.forEach((e, i) => {
    index.add(engine.compiler.phrase(e.text, `lexicons/${e.file}:${e.line}`), i)
  })
  const support = new Map<PhraseEntry, Set<string>>(entries.map((e) => [e, new Set()]))
  for (const t of texts) {
    const a = analyse(t.text.slice(0, 4000))
    for (const hit of index.find(a)) support.get(entries[hit.value]!)!.add(t.key)
  }
  return support
}

export const DEFAULT_LEXICONS = join(import.meta.dirname, '..', 'config', 'lexicons')
