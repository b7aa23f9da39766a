/**
 * The contract between the Slack review side and the rest of Wardguard. The lead's service
 * implements `ReviewDeps`; the Slack side never writes audit events or calls a platform itself.
 */

export type ReviewKind = 'comment' | 'pile_on' | 'token_alert' | 'platform_alert'

export type ReviewReason = { rule: string; category: string; match: string; explanation: string }

/**
 * The comment on the platform as the audit store knows it. `hiding`: the policy's hide is queued
 * but not yet applied (a Keep then reverses it).
 */
export type CommentState = 'visible' | 'hiding' | 'hidden' | 'deleted'

/** What "ban" can do to the author here: Facebook bans; X blocks on Enterprise, mutes below. */
export type BanEffect = 'ban' | 'block' | 'mute'

/** A person's (or the service's) decision on the item, as recorded. */
export type Resolution = {
  verdict: Exclude<Verdict, 'escalate'>
  /** Slack user id (shown as a mention) or a name */
  by: string
  byName: string | null
  explanation: string | null
  at: string
  /** whether the comment was hidden (or being hidden) when the decision was taken */
  hiddenBefore?: boolean
  /** pile-on alerts: how many comments the "hide all" asked to hide */
  hiddenCount?: number
}

/** Who passed the item to the safety contact, to whom, and whether the mail was accepted. */
export type Escalation = {
  by: string
  byName: string | null
  automatic: boolean
  to: string | null
  at: string
  mailAcceptedAt: string | null
  mailFailed: boolean
}

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
  /** hidden, or a policy hide on its way: what makes Keep a reversal */
  hidden: boolean
  /** the comment's state now; without it, `hidden` says hidden or visible */
  state?: CommentState
  /** what Ban does to the author on this account; default: ban on Facebook, mute on X */
  banEffect?: BanEffect
  resolution?: Resolution | null
  escalation?: Escalation | null
  author: { id: string; name: string | null; profileUrl: string | null; strikes: number }
  categories: string[]
  reasons: ReviewReason[]
  suggested: 'remove' | 'hide' | 'keep' | 'ban' | null
  urgent: boolean
  receivedAt: string
  kind: ReviewKind
  /** alerts only: one line saying what happened */
  summary?: string
  /** pile-on alerts: flagged comments on the post in the window, and those still visible */
  flaggedCount?: number
  visibleFlagged?: number
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

/** "Hide all flagged on this post" from a pile-on alert, with the moderator's explanation. */
export type HideAllInput = {
  subjectKey: string
  explanation: string
  slackUserId: string
  actorName: string | null
  dedupeKey: string
  channel: string
  messageTs: string
}
export type HideAllResult =
  | { status: 'done'; count: number }
  | { status: 'already_decided'; by: string }
  | { status: 'explanation_required' }

export type ReviewDeps = {
  getItem(subjectKey: string): Promise<ReviewItem | null>
  isModerator(accountId: string, slackUserId: string): Promise<boolean>
  decide(d: DecisionInput): Promise<DecisionResult>
  recordRefusal(d: { subjectKey: string; slackUserId: string; verdict: Verdict }): Promise<void>
  /** pile-on alerts; absent in deps that do not handle them */
  hideAllFlagged?(input: HideAllInput): Promise<HideAllResult>
}

/** Where a review message lives in Slack. */
export type PostedMessage = { channel: string; ts: string }
