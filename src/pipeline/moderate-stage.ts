import type { Redis } from 'ioredis'
import type { AuditEvent, Db } from '../audit/index.js'
import { recordEvent } from '../audit/index.js'
import type { Metrics } from '../http/metrics.js'
import { queueLogger } from '../logger.js'
import { moderate } from '../moderation/index.js'
import type { AccountDirectory, AccountRuntime } from './accounts.js'
import type { FollowUps } from './follow-ups.js'
import type { CommentEnvelope, ModerateMessage } from './messages.js'
import {
  type Judged,
  planFollowUps,
  type RecordedDecision,
  recordDecision,
  subjectFields,
} from './moderate-record.js'
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

const DAY_MS = 86_400_000

const ECHO_EVENT = {
  remove: 'comment.removed_on_platform',
  hide: 'comment.hidden_on_platform',
  unhide: 'comment.unhidden_on_platform',
} as const

export type ModerateOutcome = { decided: number; created: number; echoes: number; skipped: number }

/**
 * The moderate job: one delivery's comments. Each is classified with its account's policy and
 * its author's strikes (in order, so a run of comments sees its own strikes); then the facts of
 * all of them are recorded in ONE transaction, and what follows (hide, review) is queued.
 * Safe to run twice: every event has a dedupe key derived from the comment and its content.
 */
export async function runModerate(
  msg: ModerateMessage,
  deps: ModerateDeps,
): Promise<ModerateOutcome> {
  const now = (deps.now ?? (() => new Date()))()
  const outcome: ModerateOutcome = { decided: 0, created: 0, echoes: 0, skipped: 0 }
  const judged: Judged[] = []
  for (const c of msg.comments) {
    const runtime = deps.accounts.get(c.platform, c.accountId)
    if (!runtime) {
      // @NOTE the webhook already drops unknown accounts; this is an account removed since
      queueLogger.warn({ subjectKey: c.subjectKey, accountId: c.accountId }, 'no such account')
      outcome.skipped++
    } else if (c.verb === 'remove' || c.verb === 'hide' || c.verb === 'unhide') {
      await recordPlatformEcho(deps.db, c, runtime)
      outcome.echoes++
    } else {
      judged.push(await judge(c, runtime, deps, now))
    }
  }
  if (judged.length === 0) return outcome

  const at = now.toISOString()
  const recorded = await deps.db.transaction(async (tx) => {
    const out: RecordedDecision[] = []
    for (const j of judged) out.push(await recordDecision(tx, j, msg.deliveryKey, at))
    return out
  })

  // @NOTE queued after the commit, every time: a crash between commit and enqueue is healed by
  // the platform's redelivery (same job ids) or by the sweep.
  for (const [i, j] of judged.entries()) {
    const r = recorded[i] as RecordedDecision
    const c = j.comment
    if (r.hide) await queueHide(deps, c, r.hide, j.decision.policyVersion)
    if (r.review) {
      await deps.followUps.review({
        v: 1,
        platform: c.platform,
        accountId: c.accountId,
        subjectKey: c.subjectKey,
        causedBy: r.review.id,
        kind: 'comment',
        urgent: j.decision.urgent,
      })
    }
    if (j.decision.action !== 'allow' && c.postId) await checkPileOn(deps, c, j.runtime, now)
    outcome.decided++
    if (r.created) {
      outcome.created++
      deps.metrics?.decisions.inc({ platform: c.platform, action: j.decision.action })
      for (const category of j.decision.categories)
        deps.metrics?.decisionCategories.inc({ category })
    }
  }
  return outcome
}

async function judge(
  c: CommentEnvelope,
  runtime: AccountRuntime,
  deps: ModerateDeps,
  now: Date,
): Promise<Judged> {
  const windowMs = runtime.policy.repeatOffenders.windowDays * DAY_MS
  const account = runtime.account.id
  const strikes = await deps.strikes.count(
    account,
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
      accountId: account,
      strikes,
      at: now.toISOString(),
    },
    runtime.policy,
  )
  // @NOTE counted before the facts are recorded, so the author's next comment sees it; the
  // member is the comment, so a retry adds nothing
  if (decision.strike)
    await deps.strikes.add(account, c.author.id, c.subjectKey, now.getTime(), windowMs)
  return { comment: c, runtime, decision, strikes, plan: planFollowUps(decision) }
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
