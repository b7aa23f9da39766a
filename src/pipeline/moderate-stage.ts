import type { Redis } from 'ioredis'
import type { AuditEvent, Db } from '../audit/index.js'
import { recordEvent, saveSnapshot } from '../audit/index.js'
import { AppError } from '../errors.js'
import type { Metrics } from '../http/metrics.js'
import { type Decision, moderate } from '../moderation/index.js'
import type { AccountDirectory, AccountRuntime } from './accounts.js'
import type { FollowUps } from './follow-ups.js'
import type { CommentEnvelope, ModerateMessage } from './messages.js'
import { notePileOn } from './pile-on.js'
import type { StrikeStore } from './strikes.js'

export type ModerateDeps = {
  db: Db
  redis: Redis
  accounts: AccountDirectory
  strikes: StrikeStore
  followUps: FollowUps
  metrics?: Metrics
  now?: () => Date
}

export type ModerateOutcome =
  | { kind: 'decided'; decision: Decision; created: boolean }
  | { kind: 'recorded'; verb: CommentEnvelope['verb'] }

const DAY_MS = 86_400_000

const ECHO_EVENT = {
  remove: 'comment.removed_on_platform',
  hide: 'comment.hidden_on_platform',
  unhide: 'comment.unhidden_on_platform',
} as const

/**
 * The moderate job: classify one comment with its account's policy and the author's strikes,
 * record the facts in one transaction, then queue what follows (hide, review). Safe to run
 * twice: every event has a dedupe key derived from the comment and its content hash.
 */
export async function runModerate(
  msg: ModerateMessage,
  deps: ModerateDeps,
): Promise<ModerateOutcome> {
  const c = msg.comment
  const runtime = deps.accounts.get(c.platform, c.accountId)
  if (!runtime) {
    throw new AppError('message_invalid', `no configured ${c.platform} account ${c.accountId}`)
  }
  if (c.verb === 'remove' || c.verb === 'hide' || c.verb === 'unhide') {
    await recordPlatformEcho(deps.db, c, runtime)
    return { kind: 'recorded', verb: c.verb }
  }

  const now = (deps.now ?? (() => new Date()))()
  const { repeatOffenders } = runtime.policy
  const windowMs = repeatOffenders.windowDays * DAY_MS
  const strikes = await deps.strikes.count(
    runtime.account.id,
    c.author.id,
    now.getTime(),
    windowMs,
    c.subjectKey,
  )
  const decision = moderate(
    {
      text: c.text,
      platform: c.platform,
      author: { id: c.author.id, name: c.author.name },
      accountId: runtime.account.id,
      strikes,
      at: now.toISOString(),
    },
    runtime.policy,
  )

  const plan = planFollowUps(decision)
  // @NOTE counted before the facts are recorded, so the author's next comment sees it; the
  // member is the comment, so a retry adds nothing
  if (decision.strike) {
    await deps.strikes.add(runtime.account.id, c.author.id, c.subjectKey, now.getTime(), windowMs)
  }
  const recorded = await deps.db.transaction(async (tx) => {
    await saveSnapshot(tx, {
      subjectKey: c.subjectKey,
      authorId: c.author.id,
      authorName: c.author.name,
      text: c.text,
      permalink: c.permalink,
      contentHash: c.contentHash,
      reasons: decision.reasons,
      capturedAt: now.toISOString(),
    })
    const base = subjectFields(c, runtime)
    const received = await recordEvent(tx, {
      ...base,
      type: c.verb === 'edited' ? 'comment.edited' : 'comment.received',
      actor: { kind: 'platform', id: c.platform },
      meta: { contentHash: c.contentHash, deliveryKey: msg.deliveryKey, source: c.source },
      dedupeKey: `${c.subjectKey}/${c.contentHash}/received`,
    })
    const decided = await recordEvent(tx, {
      ...base,
      type: 'decision.made',
      actor: { kind: 'policy', id: decision.policyVersion },
      tool: { name: 'wardguard-policy', version: decision.policyVersion },
      ruleIds: decision.reasons.map((r) => r.rule),
      categories: decision.categories,
      reason: summarise(decision),
      meta: {
        decision: decision.action === 'hide' ? 'act' : decision.action,
        action: decision.action === 'hide' ? 'hide' : null,
        strikes,
        escalate: decision.escalate,
        urgent: decision.urgent,
        suggestBan: decision.suggestBan,
        modes: decision.modes,
      },
      causedBy: received.event.id,
      dedupeKey: `${c.subjectKey}/${c.contentHash}/decided`,
    })
    const causedBy = decided.event.id
    const hide = plan.hide
      ? await recordEvent(tx, {
          ...base,
          type: 'action.requested',
          actor: { kind: 'policy', id: decision.policyVersion },
          ruleIds: decision.reasons.map((r) => r.rule),
          meta: { action: 'hide' },
          causedBy,
          dedupeKey: `${causedBy}/action.requested`,
        })
      : null
    const review = plan.review
      ? await recordEvent(tx, {
          ...base,
          type: 'review.requested',
          actor: { kind: 'policy', id: decision.policyVersion },
          categories: decision.categories,
          meta: { suggested: plan.suggested, urgent: decision.urgent, hiddenPending: plan.hide },
          causedBy,
          dedupeKey: `${causedBy}/review.requested`,
        })
      : null
    return { created: decided.created, hide: hide?.event ?? null, review: review?.event ?? null }
  })

  // @NOTE queued after the commit, every time: a crash between commit and enqueue is healed by
  // the platform's redelivery (same job ids) or by the sweep.
  if (recorded.hide) await queueHide(deps, c, recorded.hide, decision.policyVersion)
  if (recorded.review) {
    await deps.followUps.review({
      v: 1,
      platform: c.platform,
      accountId: c.accountId,
      subjectKey: c.subjectKey,
      causedBy: recorded.review.id,
      kind: 'comment',
      urgent: decision.urgent,
    })
  }
  if (decision.action !== 'allow' && c.postId) await checkPileOn(deps, c, runtime, now)
  if (recorded.created) {
    deps.metrics?.decisions.inc({ platform: c.platform, action: decision.action })
    for (const category of decision.categories) deps.metrics?.decisionCategories.inc({ category })
  }
  return { kind: 'decided', decision, created: recorded.created }
}

/** What the decision asks for. Threats and repeat offenders are hidden AND put in front of a person. */
export function planFollowUps(decision: Decision): {
  hide: boolean
  review: boolean
  suggested: 'remove' | 'hide' | 'keep' | 'ban' | null
} {
  const hide = decision.action === 'hide'
  const review = decision.reviewRequired
  const suggested = decision.suggestBan ? 'ban' : hide ? 'remove' : review ? 'hide' : null
  return { hide, review, suggested }
}

function subjectFields(c: CommentEnvelope, runtime: AccountRuntime) {
  return {
    subjectKey: c.subjectKey,
    platform: c.platform,
    commentId: c.commentId,
    postId: c.postId,
    authorId: c.author.id,
    accountId: runtime.account.id,
  }
}

/** A short, text-free reason for the audit log: the categories and how many rules fired. */
function summarise(decision: Decision): string {
  if (decision.categories.length === 0) return 'no rule fired'
  return `${decision.action}: ${decision.categories.join(', ')} (${decision.reasons.length} rule(s))`
}

async function queueHide(
  deps: ModerateDeps,
  c: CommentEnvelope,
  requested: AuditEvent,
  policyVersion: string,
): Promise<void> {
  await deps.followUps.act({
    v: 1,
    platform: c.platform,
    accountId: c.accountId,
    subjectKey: c.subjectKey,
    commentId: c.commentId,
    authorId: c.author.id,
    action: 'hide',
    requestedBy: { kind: 'policy', id: policyVersion },
    causedBy: requested.id,
  })
}

async function recordPlatformEcho(db: Db, c: CommentEnvelope, runtime: AccountRuntime) {
  await recordEvent(db, {
    ...subjectFields(c, runtime),
    type: ECHO_EVENT[c.verb as 'remove' | 'hide' | 'unhide'],
    actor: { kind: 'platform', id: c.platform },
    meta: { platformVerb: c.verb },
    dedupeKey: `${c.subjectKey}/${c.verb}/${c.createdAt}`,
  })
}

async function checkPileOn(
  deps: ModerateDeps,
  c: CommentEnvelope,
  runtime: AccountRuntime,
  now: Date,
) {
  const { pileOn } = runtime.policy
  const windowMs = pileOn.windowMinutes * 60_000
  const count = await notePileOn(deps.redis, {
    accountId: runtime.account.id,
    postId: c.postId as string,
    subjectKey: c.subjectKey,
    now: now.getTime(),
    windowMs,
    threshold: pileOn.threshold,
  })
  if (count === null) return
  const windowStart = Math.floor(now.getTime() / windowMs)
  const alert = await recordEvent(deps.db, {
    subjectKey: `${c.platform}.post.${c.postId}`,
    platform: c.platform,
    commentId: null,
    postId: c.postId,
    accountId: runtime.account.id,
    type: 'alert.raised',
    actor: { kind: 'system', id: 'pile-on-detector' },
    reason: `${count} flagged comments on one post within ${pileOn.windowMinutes} minutes`,
    meta: { alert: 'pile_on', count, windowMinutes: pileOn.windowMinutes },
    dedupeKey: `pileon/${runtime.account.id}/${c.postId}/${windowStart}`,
  })
  if (!alert.created) return
  await deps.followUps.review({
    v: 1,
    platform: c.platform,
    accountId: c.accountId,
    subjectKey: alert.event.subjectKey,
    causedBy: alert.event.id,
    kind: 'pile_on',
    urgent: true,
  })
}
