/**
 * Moderators' decisions as training items: masked text, what the moderator decided, and which
 * categories it teaches. Text that retention purged is gone and is not asked for again.
 */
import { maskPersonalData } from './mask.js'
import { CATEGORIES, type Category } from './types.js'

/** What the audit export gives per decided comment (src/audit/decision-export.ts). */
export type DecidedComment = {
  verdict: 'keep' | 'hide' | 'remove' | 'ban'
  policyDecision: 'allow' | 'act' | 'review' | null
  categories: string[]
  text: string | null
  authorName: string | null
}

/** One council training item: `remove` means the comment breaks `categories` badly enough to come down. */
export type DecisionItem = {
  text: string
  label: 'keep' | 'remove'
  categories: Category[]
  /** a moderator overturned the policy on it */
  overturned: boolean
}

export type DecisionItems = {
  items: DecisionItem[]
  /** decisions whose text retention has purged: they teach nothing */
  purged: number
  /** removals with no category named (nothing to say what they break) */
  uncategorised: number
}

export function decisionItems(decided: DecidedComment[]): DecisionItems {
  const out: DecisionItems = { items: [], purged: 0, uncategorised: 0 }
  for (const d of decided) {
    if (d.text === null || d.text.trim() === '') {
      out.purged++
      continue
    }
    const categories = d.categories.filter((c): c is Category =>
      (CATEGORIES as readonly string[]).includes(c),
    )
    const label = d.verdict === 'keep' ? 'keep' : 'remove'
    if (label === 'remove' && categories.length === 0) {
      out.uncategorised++
      continue
    }
    out.items.push({
      text: maskPersonalData(d.text, { names: [d.authorName] }),
      label,
      categories,
      overturned:
        (d.policyDecision === 'act' && label === 'keep') ||
        (d.policyDecision === 'allow' && label === 'remove'),
    })
  }
  return out
}
