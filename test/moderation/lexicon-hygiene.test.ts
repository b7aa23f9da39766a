import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LEXICONS, phraseSupport } from '../../training/lexicon-support.js'
import { PUBLIC_DATA, trainingTexts } from '../../training/training-texts.js'

/**
 * Lexicon hygiene: a multi-word phrase is a rule only if the training material shows it in at
 * least two independent labelled comments (twins count once). A phrase only one comment ever
 * matches is a memorised sentence, and it fails on everything else. Single words, and the
 * allow-list, place and given-name lists, are exempt (training/lexicon-support.ts).
 */
const present = existsSync(PUBLIC_DATA)
if (!present) console.warn(`lexicon hygiene SKIPPED: the public data is not at ${PUBLIC_DATA}`)

describe.skipIf(!present)('lexicon hygiene', () => {
  it('every multi-word phrase is matched by two or more independent training items', () => {
    const support = phraseSupport(DEFAULT_LEXICONS, trainingTexts())
    const thin = [...support]
      .filter(([, keys]) => keys.size < 2)
      .map(([e, keys]) => `${e.file}:${e.line} "${e.text}" (${keys.size})`)
    expect(thin).toEqual([])
  }, 120_000)
})
