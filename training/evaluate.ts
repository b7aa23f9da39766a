/**
 * The evaluation suite behind `npm run eval` (no arguments): the whole engine (rules + model)
 * on every set it was not trained or tuned on, each with a confusion matrix and 95% bootstrap
 * intervals:
 * - the in-domain test split (written by writers who wrote no training data);
 * - the functional contrast suite (test/moderation/contrast), by function;
 * - ../shared/corpus/dev.jsonl, as an outside test (never trained, tuned or written from);
 * - each public source's test split (ETHOS whole: it never trains).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { HEADS, outputIndex } from '../src/moderation/model/heads.js'
import { moderate } from '../src/moderation/moderate.js'
import type { Policy } from '../src/moderation/policy.js'
import { REPO_ROOT } from '../src/moderation/repo-root.js'
import { ACTIONS, type ModerationAction } from '../src/moderation/types.js'
import { bootstrap, shareOf, withInterval } from './bootstrap.js'
import { decisionOf } from './item-schema.js'
import { readItems } from './sources/in-domain.js'
import { loadPublic } from './sources/public.js'

export type Scored = {
  expected: ModerationAction
  got: ModerationAction
  criticism: boolean
  group: string
  categories: string[]
}

const isCriticism = (tags: readonly string[]) => tags.some((t) => /criticism/.test(t))

export function scoreAll(
  rows: {
    text: string
    platform?: 'facebook' | 'x'
    expected: ModerationAction
    criticism: boolean
    group: string
  }[],
  policy: Policy,
): Scored[] {
  return rows.map((r) => {
    const d = moderate({ text: r.text, platform: r.platform ?? 'facebook' }, policy)
    return {
      expected: r.expected,
      got: d.action,
      criticism: r.criticism,
      group: r.group,
      categories: d.categories,
    }
  })
}

const exact = (s: readonly Scored[]) =>
  shareOf(
    s,
    () => true,
    (x) => x.got === x.expected,
  )
const flaggedRecall = (s: readonly Scored[]) =>
  shareOf(
    s,
    (x) => x.expected !== 'allow',
    (x) => x.got !== 'allow',
  )
const criticismKept = (s: readonly Scored[]) =>
  shareOf(
    s,
    (x) => x.criticism,
    (x) => x.got === 'allow',
  )
/** flag vs allow agreement: what a binary functional test counts */
const binary = (s: readonly Scored[]) =>
  shareOf(
    s,
    () => true,
    (x) => (x.expected === 'allow') === (x.got === 'allow'),
  )

function confusion(s: readonly Scored[]): string[] {
  const lines = [
    '| expected ↓ / decided → | allow | review | hide |',
    '| --- | ---: | ---: | ---: |',
  ]
  for (const e of ACTIONS) {
    const row = ACTIONS.map((g) => s.filter((x) => x.expected === e && x.got === g).length)
    if (row.some((n) => n > 0)) lines.push(`| ${e} | ${row.join(' | ')} |`)
  }
  return lines
}

function decisionSection(title: string, s: Scored[]): string[] {
  const ci = (f: (x: readonly Scored[]) => number) => withInterval(f(s), bootstrap(s, f))
  return [
    `### ${title} (${s.length} comments)`,
    '',
    ...confusion(s),
    '',
    '| measure | value [95% CI] |',
    '| --- | ---: |',
    `| exact decision | ${ci(exact)} |`,
    `| recall of hide + review | ${ci(flaggedRecall)} |`,
    `| criticism kept | ${ci(criticismKept)} |`,
    '',
  ]
}

function contrastSection(s: Scored[]): string[] {
  const groups = [...new Set(s.map((x) => x.group))].sort()
  const lines = [
    `### Functional contrast suite (${s.length} cases, flag vs allow)`,
    '',
    '| function | cases | correct [95% CI] | flagged side | allowed side |',
    '| --- | ---: | ---: | ---: | ---: |',
  ]
  for (const g of groups) {
    const part = s.filter((x) => x.group === g)
    const flagged = part.filter((x) => x.expected !== 'allow')
    const allowed = part.filter((x) => x.expected === 'allow')
    const pct = (v: number) => `${(v * 100).toFixed(0)}%`
    lines.push(
      `| ${g} | ${part.length} | ${withInterval(binary(part), bootstrap(part, binary))} | ${pct(binary(flagged))} | ${pct(binary(allowed))} |`,
    )
  }
  lines.push(`| **all** | ${s.length} | ${withInterval(binary(s), bootstrap(s, binary))} | | |`, '')
  return [...lines, ...confusion(s), '']
}

function publicSection(policy: Policy, dataDir: string, seed: string): string[] {
  const lines = [
    '### Public test splits (harmful = flagged, hide or review)',
    '',
    '| source | n | precision [95% CI] | recall [95% CI] | F1 | TP | FP | FN | TN |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  const examples = loadPublic(dataDir, seed).filter((e) => e.split === 'test')
  for (const source of [...new Set(examples.map((e) => e.source))]) {
    const rows = examples
      .filter((e) => e.source === source)
      .map((e) => {
        const labelled = HEADS.filter((h) => e.targets[outputIndex(h, 'any')]! >= 0)
        const positive = labelled.some((h) => e.targets[outputIndex(h, 'any')] === 1)
        return { e, labelled, positive }
      })
      .filter((r) => r.labelled.length > 0)
    const s = rows.map((r) => ({
      truth: r.positive,
      flagged: moderate({ text: r.e.text, platform: 'x' }, policy).action !== 'allow',
    }))
    type R = (typeof s)[number]
    const precision = (x: readonly R[]) =>
      shareOf(
        x,
        (r) => r.flagged,
        (r) => r.truth,
      )
    const recall = (x: readonly R[]) =>
      shareOf(
        x,
        (r) => r.truth,
        (r) => r.flagged,
      )
    const p = precision(s)
    const r = recall(s)
    const count = (t: boolean, f: boolean) =>
      s.filter((x) => x.truth === t && x.flagged === f).length
    lines.push(
      `| ${source} | ${s.length} | ${withInterval(p, bootstrap(s, precision))} | ${withInterval(r, bootstrap(s, recall))} | ${((2 * p * r) / (p + r)).toFixed(3)} | ${count(true, true)} | ${count(false, true)} | ${count(true, false)} | ${count(false, false)} |`,
    )
  }
  return [...lines, '']
}

export function runSuite(policy: Policy, seed = '20261204'): string {
  const out: string[] = [
    `## Evaluation (policy ${policy.version}, model ${policy.model?.hash ?? 'none'})`,
    '',
  ]
  const testDir = join(REPO_ROOT, 'training', 'data', 'in-domain', 'test')
  const testFiles = existsSync(testDir) ? readFileSyncDir(testDir) : []
  const items = testFiles.flatMap((f) => readItems(f))
  if (items.length > 0) {
    const rows = items.map((i) => ({
      text: i.text,
      platform: i.platform,
      expected: decisionOf(i.labels),
      criticism: isCriticism(i.tags),
      group: i.tags[0] ?? '',
    }))
    out.push(...decisionSection('In-domain test split', scoreAll(rows, policy)))
  }
  const contrastFile = join(REPO_ROOT, 'test', 'moderation', 'contrast', 'cases.jsonl')
  if (existsSync(contrastFile)) {
    out.push(...contrastSection(scoreAll(readContrast(contrastFile), policy)))
  }
  const dev = join(REPO_ROOT, '..', 'shared', 'corpus', 'dev.jsonl')
  if (existsSync(dev)) {
    const rows = readFileSync(dev, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map(
        (l) =>
          JSON.parse(l) as {
            text: string
            platform: 'facebook' | 'x'
            expected: ModerationAction
            categories: string[]
          },
      )
      .map((l) => ({
        ...l,
        criticism: l.categories.includes('criticism') && l.expected === 'allow',
        group: '',
      }))
    out.push(...decisionSection('Outside test: ../shared/corpus/dev.jsonl', scoreAll(rows, policy)))
  }
  const dataDir = process.env.WARDGUARD_DATA_DIR ?? join(REPO_ROOT, '..', 'shared', 'data')
  if (existsSync(dataDir)) out.push(...publicSection(policy, dataDir, seed))
  return out.join('\n')
}

export type ContrastCase = {
  id: string
  function: string
  text: string
  expected: ModerationAction
  pair: string
}

export function readContrast(file: string) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ContrastCase)
    .map((c) => ({
      text: c.text,
      expected: c.expected,
      criticism: false,
      group: c.function,
      id: c.id,
    }))
}

function readFileSyncDir(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f))
}
