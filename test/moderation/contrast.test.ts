import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../src/moderation/repo-root.js'
import { readContrast, scoreAll } from '../../training/evaluate.js'
import { policy } from './helpers.js'

/**
 * The functional contrast suite (test/moderation/contrast/cases.jsonl): pairs of comments that
 * differ by a small edit and flip the decision, by function (negation, counter-speech, spelling
 * variants, threats, politicians…). It measures whether the engine judges by meaning rather
 * than by keywords. It is never trained or tuned on. The floors are the figures measured when
 * the model was committed, less a margin for the next retrain (docs/model-card.md).
 */
const cases = readContrast(join(REPO_ROOT, 'test', 'moderation', 'contrast', 'cases.jsonl'))
const scored = scoreAll(cases, policy)
const correct = (s: typeof scored) =>
  s.filter((x) => (x.expected === 'allow') === (x.got === 'allow')).length / s.length

const OVERALL_FLOOR = 0.76
const FUNCTION_FLOOR = 0.5

describe('functional contrast suite', () => {
  it('has at least 400 paired cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(400)
  })

  it('judges most pairs on both sides correctly', () => {
    expect(correct(scored)).toBeGreaterThanOrEqual(OVERALL_FLOOR)
  })

  it('reaches the floor on every function', () => {
    const low = [...new Set(scored.map((s) => s.group))]
      .map((g) => ({ g, share: correct(scored.filter((s) => s.group === g)) }))
      .filter((x) => x.share < FUNCTION_FLOOR)
    expect(low).toEqual([])
  })

  it('never hides the allowed side of a politician-criticism or filter-trap pair', () => {
    const hidden = scored.filter(
      (s) =>
        s.expected === 'allow' &&
        s.got === 'hide' &&
        (s.group === 'politician_criticism' || s.group === 'uk_filter_trap'),
    )
    expect(hidden).toEqual([])
  })
})
