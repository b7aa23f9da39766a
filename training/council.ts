import type { DecisionItem } from '../src/moderation/decision-items.js'
import { CRITICISM_OUTPUT, HEADS } from '../src/moderation/model/heads.js'
import { clean, type Example, flag, unknown } from './example.js'

/**
 * The council's own decisions as training examples. A kept comment breaks nothing (every head
 * 0, criticism unknown: a moderator keeps more than criticism). A removed one breaks the
 * categories it was flagged or reported under, badly enough to hide; what it says about the
 * other heads is unknown. Tags carry the categories, for the model card's counts.
 */
export function councilExamples(items: DecisionItem[], weight: number): Example[] {
  return items.map((item) => {
    let targets: Int8Array
    if (item.label === 'keep') {
      targets = clean()
      targets[CRITICISM_OUTPUT] = -1
    } else {
      targets = unknown()
      targets[CRITICISM_OUTPUT] = 0
      for (const head of HEADS) if (item.categories.includes(head)) flag(targets, head, 1)
    }
    return {
      text: item.text,
      source: 'council',
      split: 'train' as const,
      targets,
      weight,
      decision: item.label === 'keep' ? ('allow' as const) : ('hide' as const),
      tags: item.label === 'keep' ? ['kept'] : [...item.categories],
    }
  })
}
