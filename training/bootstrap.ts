import { mulberry32 } from './sgd.js'

/**
 * A 95% percentile bootstrap interval for a statistic of some items: the items are resampled
 * with replacement `rounds` times with a seeded generator, so the interval is reproducible.
 */
export function bootstrap<T>(
  items: readonly T[],
  statistic: (sample: readonly T[]) => number,
  rounds = 1000,
  seed = 7,
): [number, number] {
  if (items.length === 0) return [Number.NaN, Number.NaN]
  const rand = mulberry32(seed)
  const values: number[] = []
  const sample: T[] = new Array(items.length)
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < items.length; i++) sample[i] = items[Math.floor(rand() * items.length)]!
    const v = statistic(sample)
    if (!Number.isNaN(v)) values.push(v)
  }
  values.sort((a, b) => a - b)
  const at = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))]!
  return [at(0.025), at(0.975)]
}

/** The share of items passing a test, NaN when none count. */
export function shareOf<T>(
  items: readonly T[],
  counts: (t: T) => boolean,
  passes: (t: T) => boolean,
): number {
  let total = 0
  let hit = 0
  for (const t of items) {
    if (!counts(t)) continue
    total++
    if (passes(t)) hit++
  }
  return total === 0 ? Number.NaN : hit / total
}

/** "84.2% [80.1–87.9]" */
export function withInterval(value: number, [lo, hi]: [number, number]): string {
  const p = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)}`)
  return Number.isNaN(value) ? 'n/a' : `${p(value)}% [${p(lo)}–${p(hi)}]`
}
