import type { Analysed, Token } from '../normalise.js'

/**
 * Negation: which words a "not" covers, and whether the writer disowns a claim.
 * @NOTE these lists are part of the trained model's input (negated words are separate
 * features), so they live in code and change only with a retrain, unlike the lexicons a
 * council edits.
 */

const NEGATORS = new Set([
  'not',
  'never',
  'nobody',
  'nothing',
  'neither',
  'nor',
  'cannot',
  'hardly',
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'cant',
  'couldnt',
  'shouldnt',
  'wouldnt',
  'wont',
  'aint',
  'havent',
  'hasnt',
  'hadnt',
  'mustnt',
  'neednt',
  'nae',
  'dinnae',
  'cannae',
  'willnae',
  'wouldnae',
])

/** Words that end a negation's reach within a clause. */
const SCOPE_ENDS = new Set(['but', 'because', 'cos', 'cause', 'though', 'however', 'yet', 'so'])
const MAX_SCOPE = 8

/** A token's word with apostrophes dropped: don't → dont. */
export function bare(t: Token): string {
  return t.word.includes("'") || t.word.includes('’') ? t.word.replace(/['’]/g, '') : t.word
}

/**
 * 1 for every token a negation covers: from the word after the negator to the end of its
 * clause (a comma, a sentence break, "but") or eight words on. "no" is left out on purpose:
 * "no more X" and "no X allowed" are exclusion, not denial.
 */
export function negationScope(a: Analysed): Uint8Array {
  const scope = new Uint8Array(a.tokens.length)
  const t = a.tokens
  for (let i = 0; i < t.length; i++) {
    if (!NEGATORS.has(bare(t[i]!))) continue
    for (let j = i + 1; j < t.length && j - i <= MAX_SCOPE; j++) {
      const tok = t[j]!
      if (tok.brk !== 0 || SCOPE_ENDS.has(tok.word)) break
      scope[j] = 1
    }
  }
  return scope
}

const DISOWN_AFTER = new Set(['lie', 'lies', 'myth', 'nonsense', 'rubbish', 'untrue', 'false'])
const DISOWN_BEFORE = [
  ['i', 'dont', 'think'],
  ['i', 'dont', 'believe'],
  ['i', 'would', 'never'],
  ['id', 'never'],
  ['i', 'never', 'said'],
  ['its', 'not', 'true'],
  ['it', 'is', 'not', 'true'],
  ['its', 'wrong', 'to'],
  ['it', 'is', 'wrong', 'to'],
  ['its', 'a', 'myth'],
  ['stop', 'saying'],
  ['nobody', 'should'],
  ['no', 'one', 'should'],
  ['not', 'all'],
  ['not', 'every'],
]

/**
 * Does the writer disown what they go on to say ("I'd never say …", "it's a myth that …",
 * "… is a lie")? Stricter than negationScope: used to contest a model's hate or threat call.
 */
export function disowns(a: Analysed): boolean {
  const words = a.tokens.map(bare)
  for (let i = 0; i < words.length; i++) {
    for (const frame of DISOWN_BEFORE) {
      if (frame.every((w, k) => words[i + k] === w)) return true
    }
    if (
      DISOWN_AFTER.has(words[i]!) &&
      i > 0 &&
      ['a', 'is', 'are', 'total', 'utter'].includes(words[i - 1]!)
    )
      return true
  }
  return false
}
