import { emojiLetter, unconfuse } from './confusables.js'

/**
 * Text normalisation. Every comment becomes views that keep offsets back to the original, so a
 * reason's `match` is always the exact words the author typed:
 * - `clean` (internal): NFKC, lower case, accents and zero-width characters gone, look-alikes
 *   undone;
 * - `tokens`: the words of `clean` with leet symbols kept (`sh!t`), for lexicon matching;
 * - `words`: canonical words (leet undone inside a word) with `,` and `.`
 *   standing for commas and sentence breaks, for phrase rules; `view` is them joined by spaces.
 */
export type Token = {
  /** lower case, look-alikes undone, symbols kept: what lexicon patterns run on */
  raw: string
  /** canonical word: leet undone inside the word, edge punctuation dropped */
  word: string
  /** offsets in the original text (the author's own spelling: `text.slice(start, end)`) */
  start: number
  end: number
  sentence: number
  /** how many characters stand between the previous token and this one */
  gap: number
  /** what those characters are: 0 spaces or the like, 1 a comma or bracket, 2 a sentence break */
  brk: 0 | 1 | 2
  /** they are only a dot and spaces ("J. Morley") */
  dotGap: boolean
  /** they are one or two spaces, dots, hyphens or underscores (a word split in two) */
  joinGap: boolean
  /** index of the quotation this token sits in, or -1 */
  quote: number
}

export type Analysed = {
  text: string
  tokens: Token[]
  /** canonical words, plus `,` and `.` for commas and sentence breaks */
  words: string[]
  /** for each word: its token, or -1 for `,` and `.` */
  wordToken: Int32Array
  /** `' ' + words.join(' ') + ' '`, and where each word starts in it */
  view: string
  wordAt: Int32Array
  /** quotations ('…' or "…"), original offsets */
  quotes: Array<{ start: number; end: number }>
  /** phrase matching's scratch memory for this comment */
  memo?: Map<number, number[]>
}

// @NOTE format characters (zero-width space/joiner, soft hyphen, bidi marks, variation selectors)
// are invisible, so they can only be there to split a word
const INVISIBLE: Array<[number, number]> = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
]

function isInvisible(cp: number): boolean {
  for (const [lo, hi] of INVISIBLE) if (cp >= lo && cp <= hi) return true
  return false
}
const MARKS = /\p{M}/gu
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u
const NON_ASCII = /[^\x00-\x7f]/
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'i',
  '€': 'e',
}
const PSEUDO_WORDS: Record<string, string> = { '=': 'are', '&': 'and' }

type Cleaned = { clean: string; from: Int32Array | null; to: Int32Array | null }

export function analyse(text: string): Analysed {
  const cleaned = cleanText(text)
  const quotes = findQuotes(cleaned)
  const tokens = tokenise(cleaned, quotes)
  return { text, tokens, quotes, ...buildWords(tokens) }
}

/** Lower case, NFKC, no accents, no invisible characters, look-alikes undone; with offsets. */
export function cleanText(text: string): Cleaned {
  // @NOTE most comments are plain ASCII: then offsets are the identity and need no tables
  if (!NON_ASCII.test(text)) return { clean: text.toLowerCase(), from: null, to: null }
  let clean = ''
  const from: number[] = []
  const to: number[] = []
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!
    const len = cp > 0xffff ? 2 : 1
    let out: string
    if (cp < 0x80) {
      out = cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : text[i]!
    } else if (isInvisible(cp)) {
      out = ''
    } else {
      const letter = emojiLetter(cp)
      if (letter) out = letter
      else {
        const folded = String.fromCodePoint(cp)
          .normalize('NFKC')
          .toLowerCase()
          .normalize('NFD')
          .replace(MARKS, '')
        out = ''
        for (const ch of folded) out += unconfuse(ch)
      }
    }
    for (let k = 0; k < out.length; k++) {
      from.push(i)
      to.push(i + len)
    }
    clean += out
    i += len
  }
  return { clean, from: Int32Array.from(from), to: Int32Array.from(to) }
}

function isWordChar(clean: string, i: number): boolean {
  const c = clean.charCodeAt(i)
  if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return true
  if (c === 64 || c === 36 || c === 33 || c === 124 || c === 42 || c === 43 || c === 39) return true
  if (c < 128) return false
  const ch = clean[i]!
  return ch === '€' || ch === '£' || LETTER_OR_DIGIT.test(ch)
}

function tokenise(cleaned: Cleaned, quotes: Array<{ start: number; end: number }>): Token[] {
  const { clean } = cleaned
  const tokens: Token[] = []
  const state = { sentence: 0, gapStart: 0 }
  let i = 0
  while (i < clean.length) {
    if (!isWordChar(clean, i)) {
      const pseudo = PSEUDO_WORDS[clean[i]!]
      if (pseudo) pushToken(tokens, state, cleaned, quotes, i, i + 1, pseudo)
      i++
      continue
    }
    let j = i
    while (j < clean.length && isWordChar(clean, j)) j++
    // @NOTE apostrophes belong to a word only inside it (don't, Harris's), never at its edges
    let a = i
    let b = j
    while (a < b && clean[a] === "'") a++
    while (b > a && clean[b - 1] === "'") b--
    const raw = clean.slice(a, b)
    if (/[a-z0-9]/.test(raw) || LETTER_OR_DIGIT.test(raw)) {
      pushToken(tokens, state, cleaned, quotes, a, b, canonicalWord(raw))
    }
    i = j
  }
  return tokens
}

function pushToken(
  tokens: Token[],
  state: { sentence: number; gapStart: number },
  { clean, from, to }: Cleaned,
  quotes: Array<{ start: number; end: number }>,
  a: number,
  b: number,
  word: string,
): void {
  const gapLength = a - state.gapStart
  let brk: 0 | 1 | 2 = 0
  let dotGap = false
  let joinGap = false
  if (gapLength > 0) {
    const gap = clean.slice(state.gapStart, a)
    brk = /[.!?;\n]/.test(gap) ? 2 : /[,:()[\]]|\s-|-\s/.test(gap) ? 1 : 0
    dotGap = /^\.\s*$/.test(gap)
    joinGap = gapLength <= 2 && /^[\s.\-_]+$/.test(gap)
  }
  if (tokens.length > 0 && brk === 2) state.sentence++
  const start = from ? from[a]! : a
  const end = to ? to[b - 1]! : b
  let quote = -1
  for (let q = 0; q < quotes.length; q++) {
    if (start >= quotes[q]!.start && end <= quotes[q]!.end) {
      quote = q
      break
    }
  }
  tokens.push({
    raw: clean.slice(a, b),
    word,
    start,
    end,
    sentence: state.sentence,
    gap: gapLength,
    brk,
    dotGap,
    joinGap,
    quote,
  })
  state.gapStart = b
}

/** The author's own spelling of a token. */
export function origOf(a: Analysed, t: Token): string {
  return a.text.slice(t.start, t.end)
}

/** Leet undone inside a word (`sh1t`, `w@nker`), edge symbols dropped. */
export function canonicalWord(raw: string): string {
  if (/^[a-z]+$/.test(raw)) return raw
  if (raw.length > 1 && raw[0] === '@' && /\p{L}/u.test(raw[1]!)) {
    return raw.replace(/[^\p{L}\p{N}_]+$/u, '')
  }
  const chars = [...raw]
  const hasLetter = /\p{L}/u.test(raw)
  let out = ''
  for (let k = 0; k < chars.length; k++) {
    const c = chars[k]!
    const leet = LEET[c]
    if (leet && hasLetter) {
      const prev = chars[k - 1]
      const next = chars[k + 1]
      const inside = isLetterish(prev) && isLetterish(next)
      // @NOTE `$hit`, `brain$`, `@rse`: a money or at sign hugging letters is a letter
      const edge = (c === '$' || c === '@') && (isAlnum(prev) || isAlnum(next))
      if (inside || edge) {
        out += leet
        continue
      }
    }
    out += c
  }
  return out.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
}

function isAlnum(c: string | undefined): boolean {
  return c !== undefined && LETTER_OR_DIGIT.test(c)
}

function isLetterish(c: string | undefined): boolean {
  return c !== undefined && (/\p{L}/u.test(c) || LEET[c] !== undefined || c === '*')
}

function findQuotes({ clean, from, to }: Cleaned) {
  const quotes: Array<{ start: number; end: number }> = []
  if (!clean.includes('"') && !clean.includes("'")) return quotes
  const re = /(?<=^|[\s([{])(["'])(?=\S)([^\n]*?\S)\1(?=$|[\s.,!?;:)\]}])/g
  for (const m of clean.matchAll(re)) {
    const a = m.index
    const b = a + m[0].length
    quotes.push({ start: from ? from[a]! : a, end: to ? to[b - 1]! : b })
  }
  return quotes
}

function buildWords(tokens: Token[]) {
  const words: string[] = []
  const owner: number[] = []
  tokens.forEach((t, k) => {
    if (k > 0 && t.brk !== 0) {
      words.push(t.brk === 2 ? '.' : ',')
      owner.push(-1)
    }
    words.push(t.word)
    owner.push(k)
  })
  const wordAt = new Int32Array(words.length)
  let offset = 1
  for (let k = 0; k < words.length; k++) {
    wordAt[k] = offset
    offset += words[k]!.length + 1
  }
  return { words, wordToken: Int32Array.from(owner), view: ` ${words.join(' ')} `, wordAt }
}
