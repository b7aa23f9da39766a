import { z } from 'zod'
import { moderate } from './moderate.js'
import type { Policy } from './policy.js'
import { ACTIONS, CATEGORIES, type ModerationAction } from './types.js'

/**
 * Scores the engine on a labelled corpus (one JSON object a line, like ../shared/corpus/dev.jsonl):
 * confusion matrix, precision and recall per action, recall per category and per note tag, and
 * the share of criticism kept. Used by `npm run eval` and by the regression test.
 */
export const LabelledLineSchema = z.object({
  id: z.string(),
  platform: z.enum(['facebook', 'x']),
  text: z.string(),
  expected: z.enum(ACTIONS),
  categories: z.array(z.string()).default([]),
  note: z.string().default(''),
})
export type LabelledLine = z.infer<typeof LabelledLineSchema>

export const TARGETS = { accuracy: 0.92, flaggedRecall: 0.96, criticismKept: 0.99 } as const

export type Ratio = { hit: number; total: number }
export type EvalLine = {
  id: string
  expected: ModerationAction
  got: ModerationAction
  tag: string
  rules: string[]
}
export type EvalReport = {
  total: number
  confusion: Record<ModerationAction, Record<ModerationAction, number>>
  precision: Record<ModerationAction, Ratio>
  recall: Record<ModerationAction, Ratio>
  accuracy: Ratio
  /** of lines expected hide or review, the share not allowed */
  flaggedRecall: Ratio
  /** of allow lines tagged `criticism`, the share allowed */
  criticismKept: Ratio
  /** lines expected hide that went to review: a safe fallback, counted apart */
  hideToReview: number
  categories: Array<{ category: string; notAllowed: Ratio; named: Ratio; allowed: Ratio }>
  tags: Array<{ tag: string; exact: Ratio }>
  /** Scunthorpe-style traps that were not allowed */
  trapsHit: string[]
  lines: EvalLine[]
}

export function parseLabelled(text: string): { lines: LabelledLine[]; errors: string[] } {
  const lines: LabelledLine[] = []
  const errors: string[] = []
  text.split('\n').forEach((raw, k) => {
    if (raw.trim() === '') return
    try {
      lines.push(LabelledLineSchema.parse(JSON.parse(raw)))
    } catch (err) {
      errors.push(`line ${k + 1}: ${(err as Error).message.split('\n')[0]}`)
    }
  })
  return { lines, errors }
}

const ratio = (): Ratio => ({ hit: 0, total: 0 })
/** A note's tag: the text before its first colon outside brackets ("Hate (race: nationality)"). */
function tagOf(note: string): string {
  let depth = 0
  for (let i = 0; i < note.length; i++) {
    const c = note[i]
    if (c === '(') depth++
    else if (c === ')') depth = Math.max(0, depth - 1)
    else if (c === ':' && depth === 0) return note.slice(0, i).trim()
  }
  return note.trim()
}

export function evaluate(lines: LabelledLine[], policy: Policy): EvalReport {
  const confusion = Object.fromEntries(
    ACTIONS.map((e) => [e, Object.fromEntries(ACTIONS.map((g) => [g, 0]))]),
  ) as EvalReport['confusion']
  const evaluated: EvalLine[] = []
  const byCategory = new Map<string, { notAllowed: Ratio; named: Ratio; allowed: Ratio }>()
  const byTag = new Map<string, Ratio>()
  const report: Omit<
    EvalReport,
    'confusion' | 'precision' | 'recall' | 'categories' | 'tags' | 'lines'
  > = {
    total: lines.length,
    accuracy: ratio(),
    flaggedRecall: ratio(),
    criticismKept: ratio(),
    hideToReview: 0,
    trapsHit: [],
  }
  for (const line of lines) {
    const d = moderate({ text: line.text, platform: line.platform }, policy)
    const got = d.action
    confusion[line.expected][got]++
    const tag = tagOf(line.note)
    evaluated.push({
      id: line.id,
      expected: line.expected,
      got,
      tag,
      rules: d.reasons.map((r) => r.rule),
    })
    report.accuracy.total++
    if (got === line.expected) report.accuracy.hit++
    if (line.expected !== 'allow') {
      report.flaggedRecall.total++
      if (got !== 'allow') report.flaggedRecall.hit++
    }
    if (line.expected === 'hide' && got === 'review') report.hideToReview++
    if (line.expected === 'allow' && line.categories.includes('criticism')) {
      report.criticismKept.total++
      if (got === 'allow') report.criticismKept.hit++
    }
    if (/scunthorpe/i.test(tag) && got !== 'allow') report.trapsHit.push(line.id)
    const t = byTag.get(tag) ?? ratio()
    t.total++
    if (got === line.expected) t.hit++
    byTag.set(tag, t)
    for (const c of line.categories) {
      const entry = byCategory.get(c) ?? { notAllowed: ratio(), named: ratio(), allowed: ratio() }
      if (line.expected === 'allow') {
        entry.allowed.total++
        if (got === 'allow') entry.allowed.hit++
      } else {
        entry.notAllowed.total++
        if (got !== 'allow') entry.notAllowed.hit++
        if ((CATEGORIES as readonly string[]).includes(c)) {
          entry.named.total++
          if ((d.categories as string[]).includes(c)) entry.named.hit++
        }
      }
      byCategory.set(c, entry)
    }
  }
  const precision = {} as EvalReport['precision']
  const recall = {} as EvalReport['recall']
  for (const a of ACTIONS) {
    precision[a] = { hit: confusion[a][a], total: ACTIONS.reduce((n, e) => n + confusion[e][a], 0) }
    recall[a] = { hit: confusion[a][a], total: ACTIONS.reduce((n, g) => n + confusion[a][g], 0) }
  }
  return {
    ...report,
    confusion,
    precision,
    recall,
    categories: [...byCategory]
      .map(([category, r]) => ({ category, ...r }))
      .sort((x, y) => x.category.localeCompare(y.category)),
    tags: [...byTag]
      .map(([tag, exact]) => ({ tag, exact }))
      .sort((x, y) => x.tag.localeCompare(y.tag)),
    lines: evaluated,
  }
}

export function share(r: Ratio): number {
  return r.total === 0 ? 1 : r.hit / r.total
}

const pct = (r: Ratio) => (r.total === 0 ? '   n/a' : `${(share(r) * 100).toFixed(1).padStart(5)}%`)
const frac = (r: Ratio) => `${pct(r)} (${r.hit}/${r.total})`

/** The report as the plain-text tables `npm run eval` prints. */
export function formatReport(r: EvalReport): string {
  const out: string[] = []
  out.push(`${r.total} comments`, '', 'Confusion matrix (rows: expected, columns: engine)')
  out.push(`${'expected'.padEnd(10)}${ACTIONS.map((a) => a.padStart(8)).join('')}`)
  for (const e of ACTIONS)
    out.push(`${e.padEnd(10)}${ACTIONS.map((g) => String(r.confusion[e][g]).padStart(8)).join('')}`)
  out.push('', `${'action'.padEnd(10)}${'precision'.padStart(22)}${'recall'.padStart(22)}`)
  for (const a of ACTIONS)
    out.push(`${a.padEnd(10)}${frac(r.precision[a]).padStart(22)}${frac(r.recall[a]).padStart(22)}`)
  out.push('')
  const check = (name: string, value: Ratio, target: number) =>
    `${name.padEnd(34)}${frac(value).padStart(20)}   target >= ${target}  ${share(value) >= target ? 'ok' : 'BELOW TARGET'}`
  out.push(check('exact decision accuracy', r.accuracy, TARGETS.accuracy))
  out.push(check('recall of hide+review (not allowed)', r.flaggedRecall, TARGETS.flaggedRecall))
  out.push(check('criticism kept', r.criticismKept, TARGETS.criticismKept))
  out.push(
    `${'Scunthorpe traps hit'.padEnd(34)}${String(r.trapsHit.length).padStart(20)}   target 0  ${r.trapsHit.length === 0 ? 'ok' : `BELOW TARGET: ${r.trapsHit.join(', ')}`}`,
  )
  out.push(
    `${'hide sent to review (safe fallback)'.padEnd(34)}${String(r.hideToReview).padStart(20)}`,
  )
  out.push(
    '',
    `${'category'.padEnd(16)}${'not allowed'.padStart(20)}${'category named'.padStart(20)}${'allowed'.padStart(20)}`,
  )
  for (const c of r.categories) {
    const cell = (x: Ratio) => (x.total === 0 ? '' : frac(x)).padStart(20)
    out.push(`${c.category.padEnd(16)}${cell(c.notAllowed)}${cell(c.named)}${cell(c.allowed)}`)
  }
  out.push('', `${'note tag'.padEnd(44)}${'exact'.padStart(20)}`)
  for (const t of r.tags) out.push(`${t.tag.slice(0, 43).padEnd(44)}${frac(t.exact).padStart(20)}`)
  const wrong = r.lines.filter((l) => l.got !== l.expected)
  if (wrong.length > 0) {
    out.push('', 'Disagreements (id expected->engine, tag, rules)')
    for (const l of wrong)
      out.push(`  ${l.id} ${l.expected}->${l.got}  ${l.tag}  ${l.rules.join(' ')}`)
  }
  return out.join('\n')
}

export function meetsTargets(r: EvalReport): boolean {
  return (
    share(r.accuracy) >= TARGETS.accuracy &&
    share(r.flaggedRecall) >= TARGETS.flaggedRecall &&
    share(r.criticismKept) >= TARGETS.criticismKept &&
    r.trapsHit.length === 0
  )
}
