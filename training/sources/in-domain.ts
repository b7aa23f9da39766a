import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CRITICISM_OUTPUT, HEADS } from '../../src/moderation/model/heads.js'
import { clean, type Example, type Split, set } from '../example.js'
import { decisionOf, type Item, itemSchema } from '../item-schema.js'
import { pairGroups, splitOf } from '../split.js'

/**
 * Wardguard's own councillor-page comments (docs/data-card.md): `train/` is split once into
 * train and validation with the seed, twins kept together; `test/` was written by other
 * writers and is only ever scored.
 */
export function readItems(file: string): Item[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = itemSchema.safeParse(JSON.parse(l))
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.message}`)
      return parsed.data
    })
}

/** Allowed comments of these kinds are what the criticism output learns. */
const CRITICISM_TAGS = new Set([
  'criticism',
  'harsh_criticism',
  'sarcasm',
  'hyperbole',
  'service_complaint',
  'officer_complaint',
])

export function targetsOf(item: Pick<Item, 'labels' | 'tags'>): Int8Array {
  const t = clean()
  const allowed = Object.keys(item.labels).length === 0
  t[CRITICISM_OUTPUT] = allowed && item.tags.some((x) => CRITICISM_TAGS.has(x)) ? 1 : 0
  for (const head of HEADS) {
    const level = item.labels[head]
    if (!level) continue
    set(t, head, 'any', 1)
    set(t, head, 'hide', level === 'hide' ? 1 : 0)
    // @NOTE absent heads keep hide unknown (clean()): hide means "how bad, given it is bad"
  }
  return t
}

function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f))
}

export function loadInDomain(root: string, seed: string, weight: number): Example[] {
  const out: Example[] = []
  for (const part of ['train', 'test'] as const) {
    for (const file of filesIn(join(root, part))) {
      const items = readItems(file)
      const groups = pairGroups(items.map((i) => [i.id, i.twin]))
      for (const item of items) {
        const split: Split =
          part === 'test'
            ? 'test'
            : splitOf(`in-domain/${groups.get(item.id)}`, seed, [0.85, 0.15, 0])
        out.push({
          text: item.text,
          source: part === 'test' ? 'in-domain-test' : 'in-domain',
          split,
          targets: targetsOf(item),
          weight,
          decision: decisionOf(item.labels),
          tags: item.tags,
        })
      }
    }
  }
  return out
}
