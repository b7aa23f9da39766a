import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { evaluate, parseLabelled, share, TARGETS } from '../../src/moderation/evaluate.js'
import { REPO_ROOT } from '../../src/moderation/repo-root.js'
import { policy } from './helpers.js'

// @NOTE the corpus lives outside the repository (../shared); its texts never enter it
const DEV = join(REPO_ROOT, '..', 'shared', 'corpus', 'dev.jsonl')
const present = existsSync(DEV)
if (!present) console.warn(`dev corpus regression SKIPPED: ${DEV} is not there`)

describe.skipIf(!present)('dev corpus', () => {
  const report = present ? evaluate(parseLabelled(readFileSync(DEV, 'utf8')).lines, policy) : null

  it('meets the decision accuracy target when run on the dev set', () => {
    expect(share(report!.accuracy)).toBeGreaterThanOrEqual(TARGETS.accuracy)
  })

  it('flags enough of what must be hidden or reviewed when run on the dev set', () => {
    expect(share(report!.flaggedRecall)).toBeGreaterThanOrEqual(TARGETS.flaggedRecall)
  })

  it('keeps criticism up when run on the dev set', () => {
    expect(share(report!.criticismKept)).toBeGreaterThanOrEqual(TARGETS.criticismKept)
  })

  it('hits no Scunthorpe trap when run on the dev set', () => {
    expect(report!.trapsHit).toEqual([])
  })

  it('never hides a criticism, counter-speech or quote line when run on the dev set', () => {
    const hidden = report!.lines.filter(
      (l) => l.expected === 'allow' && l.got === 'hide' && /criticism|counter|quote/i.test(l.tag),
    )
    expect(hidden.map((l) => l.id)).toEqual([])
  })
})
