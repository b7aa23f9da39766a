/** The top patterns among disagreements, for the comms team: what, which rule, which words, who. */
import type { Disagreement } from '../audit/index.js'

export type Count = { key: string; n: number }

export type Patterns = {
  kept: number
  removed: number
  byCategory: { key: string; kept: number; removed: number }[]
  byRule: Count[]
  byModerator: Count[]
  byAccount: Count[]
  /** words and word pairs that recur in the comments (only when the viewer may see text) */
  phrases: Count[]
}

// @NOTE small on purpose: enough to keep "the" and "council" from topping every list
const STOP = new Set(
  `about after again also because been being could does doing from have having here just like more
  most much only other over really should some than that their them then there these they this those
  very what when where which while will with would your yours you're it's isn't don't council
  councillor cllr`.split(/\s+/),
)

export function disagreementPatterns(items: Disagreement[], withText: boolean): Patterns {
  const categories = new Map<string, { kept: number; removed: number }>()
  for (const d of items) {
    for (const c of d.categories.length > 0 ? d.categories : ['(none named)']) {
      const entry = categories.get(c) ?? { kept: 0, removed: 0 }
      if (d.kind === 'kept_after_hide') entry.kept++
      else entry.removed++
      categories.set(c, entry)
    }
  }
  return {
    kept: items.filter((d) => d.kind === 'kept_after_hide').length,
    removed: items.filter((d) => d.kind === 'removed_after_allow').length,
    byCategory: [...categories]
      .map(([key, v]) => ({ key, ...v }))
      .sort((a, b) => b.kept + b.removed - (a.kept + a.removed) || a.key.localeCompare(b.key)),
    byRule: top(items.flatMap((d) => d.rules)),
    byModerator: top(items.map((d) => d.moderator.replace(/^slack\//, ''))),
    byAccount: top(items.map((d) => d.accountId ?? '?')),
    phrases: withText ? recurringPhrases(items) : [],
  }
}

function top(keys: string[], limit = 10): Count[] {
  const counts = new Map<string, number>()
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1)
  return [...counts]
    .map(([key, n]) => ({ key, n }))
    .sort((a, b) => b.n - a.n || a.key.localeCompare(b.key))
    .slice(0, limit)
}

/** Words and word pairs found in at least two disagreements (each comment counts once). */
function recurringPhrases(items: Disagreement[]): Count[] {
  const keys: string[] = []
  for (const d of items) {
    if (!d.text) continue
    const words = d.text.toLowerCase().match(/\p{L}[\p{L}'’]+/gu) ?? []
    const seen = new Set<string>()
    words.forEach((w, i) => {
      if (w.length >= 4 && !STOP.has(w)) seen.add(w)
      const next = words[i + 1]
      if (next && !(STOP.has(w) && STOP.has(next))) seen.add(`${w} ${next}`)
    })
    keys.push(...seen)
  }
  return top(keys, 40)
    .filter((c) => c.n >= 2)
    .slice(0, 12)
}
