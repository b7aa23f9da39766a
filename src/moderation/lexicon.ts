import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../errors.js'

/**
 * Lexicons are plain text files under config/lexicons/, one entry per line, `#` comments,
 * `field | field` columns (a bar with a space each side, so a regex may hold `a|b`) and `[kind name | arg | arg]` section headers. A council can read and
 * change them without reading code; this module only parses them.
 */
export type LexiconLine = { fields: string[]; line: number }
export type Section = {
  kind: string
  name: string
  args: string[]
  lines: LexiconLine[]
  file: string
}
export type Lexicons = {
  dir: string
  files: Map<string, Section[]>
  /** sha256 of every file's name and content, for the policy version */
  hash: string
}

const cache = new Map<string, Lexicons>()

export function loadLexicons(dir: string): Lexicons {
  const hit = cache.get(dir)
  if (hit) return hit
  let names: string[]
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.txt'))
      .sort()
  } catch (err) {
    throw new ConfigError(`lexicons: cannot read the folder ${dir} (${(err as Error).message})`)
  }
  const hash = createHash('sha256')
  const files = new Map<string, Section[]>()
  const problems: string[] = []
  for (const name of names) {
    const text = readFileSync(join(dir, name), 'utf8')
    hash.update(`${name}\0${text}\0`)
    files.set(name.replace(/\.txt$/, ''), parseLexicon(text, name, problems))
  }
  if (problems.length > 0) throw new ConfigError(problems)
  const lexicons = { dir, files, hash: hash.digest('hex') }
  cache.set(dir, lexicons)
  return lexicons
}

export function parseLexicon(text: string, file: string, problems: string[] = []): Section[] {
  const sections: Section[] = []
  let current: Section = { kind: 'list', name: '', args: [], lines: [], file }
  sections.push(current)
  text.split(/\r?\n/).forEach((rawLine, k) => {
    const line = rawLine.replace(/(^|\s)#.*$/, '').trim()
    if (line === '') return
    if (/^\[(rule|set|cues)\s/.test(line)) {
      const header = /^\[(\w+)\s+([\w.-]+)\s*((?:\|[^\]]*)?)\]$/.exec(line)
      if (!header) {
        problems.push(`lexicons/${file}:${k + 1}: cannot read the section header ${line}`)
        return
      }
      const args = header[3]!
        .split('|')
        .slice(1)
        .map((s) => s.trim())
      current = { kind: header[1]!, name: header[2]!, args, lines: [], file }
      sections.push(current)
      return
    }
    current.lines.push({ fields: line.split(/\s\|\s/).map((s) => s.trim()), line: k + 1 })
  })
  return sections.filter((s) => s.lines.length > 0 || s.kind !== 'list')
}

/** Every section of one kind across all files, e.g. all `[set …]`. */
export function sectionsOf(lex: Lexicons, kind: string): Section[] {
  const out: Section[] = []
  for (const sections of lex.files.values()) {
    for (const s of sections) if (s.kind === kind) out.push(s)
  }
  return out
}

/** The header-less entries of one file (`profanity`, `slurs`, `allow`, …). */
export function listOf(lex: Lexicons, file: string): LexiconLine[] {
  const sections = lex.files.get(file)
  if (!sections) throw new ConfigError(`lexicons: ${file}.txt is missing from ${lex.dir}`)
  return sections.filter((s) => s.kind === 'list').flatMap((s) => s.lines)
}
