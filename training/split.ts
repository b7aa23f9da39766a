import { createHash } from 'node:crypto'
import type { Split } from './example.js'

/**
 * The one seeded split: a group's key (an item, or a pair of twins, or one forum post's
 * sentences) hashed with the seed decides its split, so it never changes between runs and a
 * pair never straddles two splits. Fractions are of train : val : test.
 */
export function splitOf(key: string, seed: string, fractions: [number, number, number]): Split {
  const h = createHash('sha256').update(`${seed}\0${key}`).digest().readUInt32BE(0) / 2 ** 32
  const [train, val] = fractions
  if (h < train) return 'train'
  if (h < train + val) return 'val'
  return 'test'
}

/** Groups ids linked in pairs (twins, original/perturbation) with union-find: id → group key. */
export function pairGroups(pairs: Iterable<[string, string | undefined]>): Map<string, string> {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let root = x
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!
    parent.set(x, root)
    return root
  }
  for (const [a, b] of pairs) {
    if (!parent.has(a)) parent.set(a, a)
    if (b === undefined) continue
    if (!parent.has(b)) parent.set(b, b)
    const ra = find(a)
    const rb = find(b)
    // @NOTE the alphabetically first id becomes the root, so group keys do not depend on order
    const [low, high] = [ra, rb].sort()
    if (ra !== rb) parent.set(high!, low!)
  }
  const out = new Map<string, string>()
  for (const id of parent.keys()) out.set(id, find(id))
  return out
}
