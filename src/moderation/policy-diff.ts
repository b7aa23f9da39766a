/**
 * What a candidate policy or model would change: every stored comment decided by the current
 * engine and by the candidate, the same way the pipeline decides (same text, author, strikes and
 * time), and the differences counted the ways a comms team asks about them.
 */
import { viewOf } from './model-hits.js'
import { allowMask, analyseText, moderate } from './moderate.js'
import type { Policy } from './policy.js'
import type { Category, Decision, ModerationAction } from './types.js'

export type ReplayComment = {
  subjectKey: string
  accountId: string
  platform: 'facebook' | 'x'
  text: string
  authorId: string | null
  authorName: string | null
  strikes: number
  capturedAt: string
}

export type ChangedItem = {
  subjectKey: string
  accountId: string
  at: string
  before: ModerationAction
  after: ModerationAction
  beforeCategories: Category[]
  afterCategories: Category[]
  /** allowed now, flagged by the candidate, and read as political criticism */
  criticism: boolean
  /** the candidate's reasons, in words */
  why: string
  text: string
}

export type Tally = {
  compared: number
  changed: number
  hidesGained: number
  hidesLost: number
  reviewsGained: number
  reviewsLost: number
  criticismNewlyFlagged: number
}

export type DiffReport = Tally & {
  byAccount: Record<string, Tally>
  /** per category: the comments either engine puts in it, tallied the same way */
  byCategory: Partial<Record<Category, Tally>>
  changedItems: ChangedItem[]
}

export type Engines = {
  current: (accountId: string) => Policy
  candidate: (accountId: string) => Policy
}

export function emptyTally(): Tally {
  return {
    compared: 0,
    changed: 0,
    hidesGained: 0,
    hidesLost: 0,
    reviewsGained: 0,
    reviewsLost: 0,
    criticismNewlyFlagged: 0,
  }
}

/** Both engines' decisions on one comment, as the moderate stage would make them. */
export function decideBoth(
  c: ReplayComment,
  engines: Engines,
): { before: Decision; after: Decision; current: Policy } {
  const input = {
    text: c.text,
    platform: c.platform,
    author: c.authorId ? { id: c.authorId, name: c.authorName } : undefined,
    accountId: c.accountId,
    strikes: c.strikes,
    at: c.capturedAt,
  }
  const current = engines.current(c.accountId)
  return {
    before: moderate(input, current),
    after: moderate(input, engines.candidate(c.accountId)),
    current,
  }
}

export async function diffPolicies(
  comments: AsyncIterable<ReplayComment> | Iterable<ReplayComment>,
  engines: Engines,
): Promise<DiffReport> {
  const report: DiffReport = { ...emptyTally(), byAccount: {}, byCategory: {}, changedItems: [] }
  for await (const c of comments) {
    const { before, after, current } = decideBoth(c, engines)
    const account = report.byAccount[c.accountId] ?? emptyTally()
    report.byAccount[c.accountId] = account
    const change = compareDecisions(before, after, () =>
      readsAsCriticism(c.text, current, engines.candidate(c.accountId)),
    )
    for (const t of [report, account]) addChange(t, change)
    for (const k of new Set([...before.categories, ...after.categories])) {
      const entry = report.byCategory[k] ?? emptyTally()
      addChange(entry, change)
      report.byCategory[k] = entry
    }
    if (!change.changed) continue
    report.changedItems.push({
      subjectKey: c.subjectKey,
      accountId: c.accountId,
      at: c.capturedAt,
      before: before.action,
      after: after.action,
      beforeCategories: before.categories,
      afterCategories: after.categories,
      criticism: change.criticism,
      why: after.reasons.map((r) => `${r.category}: ${r.explanation}`).join('; '),
      text: c.text,
    })
  }
  return report
}

export type Change = {
  changed: boolean
  hideGained: boolean
  hideLost: boolean
  reviewGained: boolean
  reviewLost: boolean
  criticism: boolean
  categoriesGained: Category[]
  categoriesLost: Category[]
}

/**
 * How two decisions on one comment differ. A comment counts as changed when its action or its
 * categories differ. `isCriticism` is asked only for a comment allowed before and flagged after.
 */
export function compareDecisions(
  before: Pick<Decision, 'action' | 'categories'>,
  after: Pick<Decision, 'action' | 'categories'>,
  isCriticism: () => boolean,
): Change {
  const newlyFlagged = before.action === 'allow' && after.action !== 'allow'
  const categoriesGained = after.categories.filter((k) => !before.categories.includes(k))
  const categoriesLost = before.categories.filter((k) => !after.categories.includes(k))
  return {
    changed: before.action !== after.action || categoriesGained.length + categoriesLost.length > 0,
    hideGained: before.action !== 'hide' && after.action === 'hide',
    hideLost: before.action === 'hide' && after.action !== 'hide',
    reviewGained: before.action !== 'review' && after.action === 'review',
    reviewLost: before.action === 'review' && after.action !== 'review',
    criticism: newlyFlagged && isCriticism(),
    categoriesGained,
    categoriesLost,
  }
}

export function addChange(t: Tally, change: Change): void {
  t.compared++
  if (!change.changed) return
  t.changed++
  if (change.hideGained) t.hidesGained++
  if (change.hideLost) t.hidesLost++
  if (change.reviewGained) t.reviewsGained++
  if (change.reviewLost) t.reviewsLost++
  if (change.criticism) t.criticismNewlyFlagged++
}

/**
 * Whether a comment reads as political criticism: the criticism output of the current model (or
 * the candidate's, when the current engine runs without one) at its veto level or above.
 */
export function readsAsCriticism(text: string, current: Policy, candidate: Policy): boolean {
  const policy = current.model ? current : candidate
  const model = policy.model
  if (!model) return false
  const a = analyseText(text)
  return viewOf(a, model, allowMask(a, policy)).criticism >= Math.min(model.criticismVeto, 0.5)
}
