import type { Analysed } from '../normalise.js'
import { bare } from './negation.js'

/**
 * Reported speech and counter-speech: words the writer quotes or reports rather than says,
 * and whether they do it to condemn. @NOTE model input, like negation.ts: change with a retrain.
 */

const REPORTING = new Set([
  'said',
  'says',
  'saying',
  'shouted',
  'shouting',
  'yelled',
  'screamed',
  'called',
  'calling',
  'wrote',
  'written',
  'posted',
  'tweeted',
  'sprayed',
  'daubed',
  'painted',
  'chanted',
  'chanting',
  'claimed',
  'claims',
  'claiming',
  'reckons',
  'heard',
  'told',
])

const CONDEMNING = new Set([
  'disgusting',
  'disgraceful',
  'vile',
  'appalling',
  'sickening',
  'shameful',
  'unacceptable',
  'racist',
  'racism',
  'homophobic',
  'homophobia',
  'transphobic',
  'sexist',
  'misogynist',
  'misogynistic',
  'antisemitic',
  'antisemitism',
  'islamophobic',
  'islamophobia',
  'bigoted',
  'bigot',
  'bigots',
  'bigotry',
  'hateful',
  'abusive',
  'offensive',
  'reported',
  'report',
  'ashamed',
  'horrified',
  'condemn',
  'condemned',
])

/** 1 for tokens inside quotation marks, or after a reporting verb up to the end of the sentence. */
export function reportedScope(a: Analysed): Uint8Array {
  const scope = new Uint8Array(a.tokens.length)
  const t = a.tokens
  for (let i = 0; i < t.length; i++) {
    if (t[i]!.quote >= 0) scope[i] = 1
    if (!REPORTING.has(bare(t[i]!))) continue
    for (let j = i + 1; j < t.length && t[j]!.sentence === t[i]!.sentence; j++) scope[j] = 1
  }
  return scope
}

/**
 * Counter-speech: the comment reports or quotes something and condemns it ("someone sprayed
 * '…' on the mosque, disgusting"), or names the hate it condemns ("that racist abuse …").
 */
export function isCounterSpeech(a: Analysed, reported: Uint8Array): boolean {
  let condemns = false
  for (const tok of a.tokens) if (CONDEMNING.has(bare(tok))) condemns = true
  if (!condemns) return false
  return reported.some((v) => v === 1) || a.quotes.length > 0
}
