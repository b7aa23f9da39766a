/**
 * Masks personal data out of a comment before it becomes a training example: the council's
 * model should learn how people write, never who they are or how to reach them.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './repo-root.js'
import { findEmails, findPhones } from './rules/personal-data-patterns.js'

let givenNames: Set<string> | null = null

function names(): Set<string> {
  givenNames ??= new Set(
    readFileSync(join(REPO_ROOT, 'config', 'lexicons', 'given-names.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l && !l.startsWith('#')),
  )
  return givenNames
}

const TITLE = /\b(?:Cllr|Councillor|Councilor|Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?\s+/y
const CAPITALISED = /[A-Z][\p{L}'’-]+/uy
const WORD = /\p{L}[\p{L}'’-]*/gu

/**
 * Emails become [email], phone numbers [phone], @handles @[name], other runs of digits
 * [number]; the author's own name, given names from the lexicon (and the capitalised word
 * after one: a surname), and a capitalised word after a title (Cllr, Mrs …) become [name].
 */
export function maskPersonalData(text: string, opts: { names?: (string | null)[] } = {}): string {
  const spans: { start: number; end: number; label: string }[] = []
  for (const f of findEmails(text)) spans.push({ ...f, label: '[email]' })
  for (const f of findPhones(text)) spans.push({ ...f, label: '[phone]' })
  for (const m of text.matchAll(/@\w{1,30}/g)) {
    spans.push({ start: m.index + 1, end: m.index + m[0].length, label: '[name]' })
  }
  const own = new Set(
    opts.names
      ?.flatMap((n) => (n ?? '').toLowerCase().split(/[^\p{L}'’-]+/u))
      .filter((w) => w.length >= 2),
  )
  const known = names()
  for (const m of text.matchAll(WORD)) {
    const word = m[0]
    const lower = word.toLowerCase()
    const given = /^[A-Z]/.test(word) && known.has(lower)
    if (!own.has(lower) && !given) continue
    let end = m.index + word.length
    // a surname after a given name
    const after = /^\s+([A-Z][\p{L}'’-]+)/u.exec(text.slice(end))
    if (given && after?.[1]) end += after[0].length
    spans.push({ start: m.index, end, label: '[name]' })
  }
  for (let i = 0; i < text.length; i++) {
    TITLE.lastIndex = i
    const title = TITLE.exec(text)
    if (!title || (i > 0 && /\w/.test(text[i - 1] as string))) continue
    CAPITALISED.lastIndex = i + title[0].length
    const name = CAPITALISED.exec(text)
    if (name) spans.push({ start: name.index, end: name.index + name[0].length, label: '[name]' })
  }
  for (const m of text.matchAll(/\d+(?:[.,:/-]\d+)*/g)) {
    spans.push({ start: m.index, end: m.index + m[0].length, label: '[number]' })
  }
  return applySpans(text, spans)
}

/** Replaces spans, the earliest (then longest) winning where they overlap. */
function applySpans(text: string, spans: { start: number; end: number; label: string }[]): string {
  spans.sort((a, b) => a.start - b.start || b.end - a.end)
  let out = ''
  let at = 0
  for (const s of spans) {
    if (s.start < at) continue
    out += text.slice(at, s.start) + s.label
    at = s.end
  }
  return out + text.slice(at)
}
