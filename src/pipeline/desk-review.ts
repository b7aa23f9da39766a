/**
 * The web desk's side of review (issue 14): the same decide() as Slack, the same moderator
 * lists, and the Slack message brought up to date when the web decides first.
 */
import { eventsForSubject } from '../audit/index.js'
import { type Decided, decidedMessage } from '../connectors/slack/blocks.js'
import type { Slack } from '../connectors/slack/decision.js'
import type { DecisionInput, DecisionResult, Verdict } from '../connectors/slack/types.js'
import { serviceLogger } from '../logger.js'
import { createReviewDeps, type ReviewDecisionDeps } from './review-decisions.js'
import { buildReviewItem } from './review-items.js'

export type DeskReview = {
  /** the moderator ids (Slack user ids) the account's review list names */
  moderatorsOf(accountId: string): string[]
  /** the account posts the explanation back to the author */
  replyWithExplanation(accountId: string): boolean
  decide(input: DecisionInput): Promise<DecisionResult>
  /** shows a decision made on the web on the item's Slack message, if it was posted there */
  showOnSlack(
    subjectKey: string,
    decided: { verdict: Verdict; by: string; explanation: string | null; at: Date },
    hiddenBefore: boolean,
  ): Promise<void>
}

export function createDeskReview(
  deps: ReviewDecisionDeps,
  slackClient: () => Slack | null,
): DeskReview {
  const review = createReviewDeps(deps)
  return {
    moderatorsOf: (accountId) => deps.accounts.byId(accountId)?.account.review.moderators ?? [],
    replyWithExplanation: (accountId) =>
      deps.accounts.byId(accountId)?.account.review.replyWithExplanation ?? false,
    decide: (input) => review.decide(input),
    async showOnSlack(subjectKey, decided: Decided, hiddenBefore) {
      const client = slackClient()
      if (!client) return
      const posted = (await eventsForSubject(deps.db, subjectKey))
        .filter((e) => e.type === 'review.posted')
        .at(-1)
      const channel = posted?.meta.channel
      const ts = posted?.meta.ts
      if (typeof channel !== 'string' || typeof ts !== 'string') return
      const item = await buildReviewItem(deps, subjectKey)
      if (!item) return
      // @NOTE the wording ("Kept (to be unhidden)") is about the state the decision found
      item.hidden = hiddenBefore
      try {
        await client.chat.update({ channel, ts, ...decidedMessage(item, decided) })
      } catch (err) {
        // the decision stands; a click on the stale message gets "already decided"
        serviceLogger.warn(
          { err: (err as Error).name, subjectKey },
          'slack review message not updated after a web decision',
        )
      }
    },
  }
}
