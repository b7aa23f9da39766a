/**
 * The contract between the Slack review side and the rest of Wardguard. The lead's service
 * implements `ReviewDeps`; the Slack side never writes audit events or calls a platform itself.
 */

export type ReviewKind = 'comment' | 'pile_on' | 'token_alert' | 'platform_alert'

export type ReviewReason = { rule: string; category: string; match: string; explanation: string }

export type ReviewItem = {
  subjectKey: string
  platform: 'facebook' | 'x'
  accountId: string
  accountName: string
  channel: string
  commentId: string
  permalink: string | null
  /** null once retention has purged it */
  text: string | null
  hidden: boolean
  author: { id: string; name: string | null; profileUrl: string | null; strikes: number }
  categories: string[]
  reasons: ReviewReason[]
  suggested: 'remove' | 'hide' | 'keep' | 'ban' | null
  urgent: boolean
  receivedAt: string
  kind: ReviewKind
  /** alerts only: one line saying what happened */
  summary?: string
  /** the account posts the moderator's explanation back to the author (its config flag) */
  replyWithExplanation?: boolean
}

export type Verdict = 'remove' | 'hide' | 'keep' | 'ban' | 'escalate'

export type DecisionInput = {
  subjectKey: string
  verdict: Verdict
  explanation: string | null
  slackUserId: string
  slackUserName: string | null
  /** stable across Slack redeliveries of the same click or submission */
  dedupeKey: string
  channel: string
  messageTs: string
  /** copied from the item, so the act stage knows to reply to the author */
  replyWithExplanation: boolean
  /** where the decision was made; absent: Slack (channel and messageTs) */
  tool?: { name: string; meta?: Record<string, unknown> }
  /**
   * the newest event the person saw (the web desk acting on a comment with no review open):
   * the decision is about that state, so two people acting on the same state meet one dedupe
   * key and the first wins, while a later state can be decided again
   */
  seenEventId?: string
}

/** `by` is the Slack user id of whoever decided first (shown as a mention), or a display name. */
export type DecisionResult =
  | { status: 'decided' }
  | { status: 'already_decided'; by: string; verdict: Verdict }
  /** the comment is (or is about to be) hidden, so this verdict reverses it: say why first */
  | { status: 'explanation_required' }

export type ReviewDeps = {
  getItem(subjectKey: string): Promise<ReviewItem | null>
  isModerator(accountId: string, slackUserId: string): Promise<boolean>
  decide(d: DecisionInput): Promise<DecisionResult>
  recordRefusal(d: { subjectKey: string; slackUserId: string; verdict: Verdict }): Promise<void>
}

/** Where a review message lives in Slack. */
export type PostedMessage = { channel: string; ts: string }
