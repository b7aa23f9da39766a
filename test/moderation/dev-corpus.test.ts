import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { evaluate, parseLabelled, share } from '../../src/moderation/evaluate.js'
import { REPO_ROOT } from '../../src/moderation/repo-root.js'
import { policy } from './helpers.js'

// @NOTE the corpus lives outside the repository (../shared); its texts never enter it
const DEV = join(REPO_ROOT, '..', 'shared', 'corpus', 'dev.jsonl')
const present = existsSync(DEV)
if (!present) console.warn(`dev corpus regression SKIPPED: ${DEV} is not there`)

/**
 * @NOTE honest floors: the figures the committed engine measured on this outside test set,
 * which nothing was trained, tuned or written from (the old 1.000 came from rules that had
 * memorised it). A retrain or a lexicon edit that does worse fails here.
 */
const FLOORS = { accuracy: 0.85, flaggedRecall: 0.87, criticismKept: 0.98 }

describe.skipIf(!present)('dev corpus', () => {
  const report = present ? evaluate(parseLabelled(readFileSync(DEV, 'utf8')).lines, policy) : null

  it('keeps its measured decision accuracy when run on the dev set', () => {
    expect(share(report!.accuracy)).toBeGreaterThanOrEqual(FLOORS.accuracy)
  })

  it('flags enough of what must be hidden or reviewed when run on the dev set', () => {
    expect(share(report!.flaggedRecall)).toBeGreaterThanOrEqual(FLOORS.flaggedRecall)
  })

  it('keeps criticism up when run on the dev set', () => {
    expect(share(report!.criticismKept)).toBeGreaterThanOrEqual(FLOORS.criticismKept)
  })

  it('never hides a Scunthorpe trap when run on the dev set', () => {
    const hidden = report!.lines.filter((l) => /scunthorpe/i.test(l.tag) && l.got === 'hide')
    expect(hidden.map((l) => l.id)).toEqual([])
  })

  it('never hides a criticism, counter-speech or quote line when run on the dev set', () => {
    const hidden = report!.lines.filter(
      (l) => l.expected === 'allow' && l.got === 'hide' && /criticism|counter|quote/i.test(l.tag),
    )
    expect(hidden.map((l) => l.id)).toEqual([])
  })
})
