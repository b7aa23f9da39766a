import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from '../src/moderation/repo-root.js'
import { readItems } from './sources/in-domain.js'
import { loadPublic, PUBLIC_SOURCES } from './sources/public.js'
import { pairGroups } from './split.js'

export const IN_DOMAIN_TRAIN = join(REPO_ROOT, 'training', 'data', 'in-domain', 'train')
export const PUBLIC_DATA = process.env.WARDGUARD_DATA_DIR ?? join(REPO_ROOT, '..', 'shared', 'data')
export const SEED = '20261204'

/**
 * The training material as texts with a key per independent item: in-domain training items
 * (twins share a key) and the training split of every public source that may train.
 */
export function trainingTexts(
  opts: { publicSets?: boolean } = {},
): { text: string; key: string }[] {
  const out: { text: string; key: string }[] = []
  if (existsSync(IN_DOMAIN_TRAIN)) {
    for (const f of readdirSync(IN_DOMAIN_TRAIN).filter((x) => x.endsWith('.jsonl'))) {
      const items = readItems(join(IN_DOMAIN_TRAIN, f))
      const groups = pairGroups(items.map((i) => [i.id, i.twin]))
      for (const i of items) out.push({ text: i.text, key: `in-domain/${groups.get(i.id)}` })
    }
  }
  if ((opts.publicSets ?? true) && existsSync(PUBLIC_DATA)) {
    const trains = new Set(PUBLIC_SOURCES.filter((s) => s.trains).map((s) => s.name))
    loadPublic(PUBLIC_DATA, SEED)
      .filter((e) => e.split === 'train' && trains.has(e.source))
      .forEach((e, i) => {
        out.push({ text: e.text, key: `${e.source}/${i}` })
      })
  }
  return out
}
