import type { Redis } from 'ioredis'
import type { AuditEvent, AuditEventInput, AuditSink, Db, Recorded } from '../audit/index.js'
import { directSink, recordShadowDecisions } from '../audit/index.js'
import type { Metrics } from '../http/metrics.js'
import { queueLogger } from '../logger.js'
import { type Category, type Decision, moderate } from '../moderation/index.js'
import type { AccountDirectory, AccountRuntime } from './accounts.js'
import { confirmXDeliveries } from './confirm-x.js'
import type { FollowUps } from './follow-ups.js'
import type {
  ActionRequest,
  CommentEnvelope,
  EscalateRequest,
  ModerateMessage,
  ReviewRequest,
} from './messages.js'
import { recordJudged } from './moderate-isolate.js'
import { type Judged, planFollowUps, subjectFields } from './moderate-record.js'
import { notePileOn } from './pile-on.js'
import type { StrikeStore } from './strikes.js'

export type ModerateDeps = {
  db: Db
  /** the group-commit writer the workers share; without it each job writes on its own */
  audit?: AuditSink
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

export type ModerateOutcome = {
  decided: number
  created: number
  echoes: number
  skipped: number
  /** comments that could not be stored, recorded as comment.rejected with an alert */
  rejected: number
}

/**
 * The moderate job: one delivery's comments. Each is classified with its account's policy and
 * its author's strikes (an author's comments in order, so a run of them sees its own strikes);
 * then the facts of all of them are recorded in ONE audit write, and what follows (hide, review)
 * is queued. Safe to run twice: every event has a dedupe key derived from the comment and its
 * content.
 */
export async function runModerate(
  msg: ModerateMessage,
  deps: ModerateDeps,
): Promise<ModerateOutcome> {
  const now = (deps.now ?? (() => new Date()))()
  const outcome: ModerateOutcome = { decided: 0, created: 0, echoes: 0, skipped: 0, rejected: 0 }
  const toJudge: { comment: CommentEnvelope; runtime: AccountRuntime }[] = []
  const echoes: AuditEventInput[] = []
  for (const c of msg.comments) {
    const runtime = deps.accounts.get(c.platform, c.accountId)
    if (!runtime) {
      // @NOTE the webhook already drops unknown accounts; this is an account removed since
      queueLogger.warn({ subjectKey: c.subjectKey, accountId: c.accountId }, 'no such account')
      outcome.skipped++
    } else if (c.verb === 'remove' || c.verb === 'hide' || c.verb === 'unhide') {
      echoes.push(platformEcho(c, runtime))
      outcome.echoes++
    } else {
      toJudge.push({ comment: c, runtime })
    }
  }
  const audit = deps.audit ?? directSink(deps.db)
  // @NOTE before anything is judged or struck: X deliveries are read back from the X API
  const { confirmed, alerts } = await confirmXDeliveries(toJudge, msg.deliveryKey)
  echoes.push(...alerts)
  outcome.skipped += alerts.length
  const judged = await judgeAll(confirmed, deps, now)
  // @NOTE issued together, so a group-commit writer puts both in one transaction
  const [echoed, recordedOrRejected] = await Promise.all([
    echoes.length > 0 ? audit.write({ events: echoes }) : [],
    recordJudged(audit, deps.followUps, judged, msg.deliveryKey, now.toISOString()),
  ])
  // @NOTE hidden, unhidden or deleted by someone on the platform: the review message says so
  await refreshEchoes(deps, echoed)
  if (judged.length === 0) return outcome
  outcome.rejected = recordedOrRejected.filter((r) => r === null).length
  const kept = judged.flatMap((j, i) => {
    const r = recordedOrRejected[i]
    return r ? [{ j, r }] : []
  })

  // @NOTE queued after the commit, every time: a crash between commit and enqueue is healed by
  // the platform's redelivery (same job ids) or by the sweep.
  const hides: ActionRequest[] = []
  const reviews: ReviewRequest[] = []
  const escalations: EscalateRequest[] = []
  for (const { j, r } of kept) {
    if (r.escalated)
      escalations.push({ v: 1, subjectKey: j.comment.subjectKey, causedBy: r.escalated.id })
    const c = j.comment
    if (r.hide) hides.push(hideRequest(c, r.hide, j.decision))
    if (r.review) {
      reviews.push({
        v: 1,
        platform: c.platform,
        accountId: c.accountId,
        subjectKey: c.subjectKey,
        causedBy: r.review.id,
        kind: 'comment',
        urgent: j.decision.urgent,
      })
    }
  }
  await Promise.all([
    deps.followUps.actAll(hides),
    deps.followUps.reviewAll(reviews),
    deps.followUps.escalate(escalations),
  ])
  await recordShadows(deps.db, kept, now)
  await checkPileOns(
    deps,
    kept.map(({ j }) => j).filter((j) => j.decision.action !== 'allow' && j.comment.postId),
    now,
  )
  for (const { j, r } of kept) {
    outcome.decided++
    if (!r.created) continue
    outcome.created++
    deps.metrics?.decisions.inc({ platform: j.comment.platform, action: j.decision.action })
    for (const category of j.decision.categories) deps.metrics?.decisionCategories.inc({ category })
  }
  return outcome
}

/**
 * Judges every comment, in input order per author. @NOTE strikes only carry from one comment
 * to the next of the same author on the same account, so authors are judged side by side and
 * their Redis round trips overlap instead of queueing one behind the other.
 */
async function judgeAll(
  items: { comment: CommentEnvelope; runtime: AccountRuntime }[],
  deps: ModerateDeps,
  now: Date,
): Promise<Judged[]> {
  const byAuthor = new Map<string, number[]>()
  for (const [i, { comment: c, runtime }] of items.entries()) {
    const key = JSON.stringify([runtime.account.id, c.author.id])
    byAuthor.set(key, [...(byAuthor.get(key) ?? []), i])
  }
  const judged: Judged[] = new Array(items.length)
  await Promise.all(
    [...byAuthor.values()].map(async (indexes) => {
      for (const i of indexes) {
        const { comment, runtime } = items[i] as (typeof items)[number]
        judged[i] = await judge(comment, runtime, deps, now)
      }
    }),
  )
  return judged
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
  const input = {
    text: c.text,
    platform: c.platform,
    author: { id: c.author.id, name: c.author.name },
    accountId: account,
    strikes,
    at: now.toISOString(),
  }
  const decision = moderate(input, runtime.policy)
  // @NOTE the candidate decides the same input, and nothing it decides is queued or struck
  const shadow =
    runtime.shadow && Date.parse(runtime.shadow.endsAt) > now.getTime()
      ? { runId: runtime.shadow.runId, decision: moderate(input, runtime.shadow.policy) }
      : undefined
  // @NOTE counted before the facts are recorded, so the author's next comment sees it; the
  // member is the comment, so a retry adds nothing
  if (decision.strike)
    await deps.strikes.add(account, c.author.id, c.subjectKey, now.getTime(), windowMs)
  return { comment: c, runtime, decision, strikes, plan: planFollowUps(decision), shadow }
}

/**
 * What the candidates in shadow decided, beside what the active engine did. @NOTE observation
 * only: a failure here is logged and the job goes on, since the comment was moderated already
 */
async function recordShadows(db: Db, kept: { j: Judged }[], now: Date): Promise<void> {
  const rows = kept.flatMap(({ j }) =>
    j.shadow
      ? [
          {
            runId: j.shadow.runId,
            subjectKey: j.comment.subjectKey,
            decidedAt: now.toISOString(),
            activeAction: j.decision.action,
            candidateAction: j.shadow.decision.action,
            activeCategories: j.decision.categories,
            candidateCategories: j.shadow.decision.categories,
          },
        ]
      : [],
  )
  try {
    await recordShadowDecisions(db, rows)
  } catch (err) {
    queueLogger.warn(
      { err: (err as Error).message, rows: rows.length },
      'shadow decisions not recorded',
    )
  }
}

/** Under a pile-on these come down first: harm to a person, not only offence. */
const URGENT_HIDE_CATEGORIES: readonly Category[] = ['threat', 'personal_data', 'safeguarding']

function hideRequest(c: CommentEnvelope, requested: AuditEvent, decision: Decision): ActionRequest {
  return {
    v: 1,
    platform: c.platform,
    accountId: c.accountId,
    subjectKey: c.subjectKey,
    commentId: c.commentId,
    authorId: c.author.id,
    action: 'hide',
    requestedBy: { kind: 'policy', id: decision.policyVersion },
    causedBy: requested.id,
    urgent: decision.urgent || decision.categories.some((k) => URGENT_HIDE_CATEGORIES.includes(k)),
  }
}

async function refreshEchoes(deps: ModerateDeps, echoed: Recorded[]): Promise<void> {
  const changed = echoed.filter((r) => r.created && r.event.type in ECHO_TYPES)
  await Promise.all(changed.map((r) => deps.followUps.refresh([r.event.subjectKey], r.event.id)))
}

const ECHO_TYPES = Object.fromEntries(Object.values(ECHO_EVENT).map((t) => [t, true]))

function platformEcho(c: CommentEnvelope, runtime: AccountRuntime): AuditEventInput {
  return {
    ...subjectFields(c, runtime),
    type: ECHO_EVENT[c.verb as 'remove' | 'hide' | 'unhide'],
    actor: { kind: 'platform', id: c.platform },
    meta: { platformVerb: c.verb },
    dedupeKey: `${c.subjectKey}/${c.verb}/${c.createdAt}`,
  }
}

/**
 * Notes every flagged comment on its post's pile-on window, then raises the alerts.
 * @NOTE the notes are issued together on one connection, which Redis runs in issue order, so
 * the comment that crosses a threshold is the same as when they were awaited one by one.
 */
async function checkPileOns(deps: ModerateDeps, flagged: Judged[], now: Date): Promise<void> {
  const counts = await Promise.all(
    flagged.map(({ comment: c, runtime }) => {
      const { pileOn } = runtime.policy
      return notePileOn(deps.redis, {
        accountId: runtime.account.id,
        postId: c.postId as string,
        subjectKey: c.subjectKey,
        now: now.getTime(),
        windowMs: pileOn.windowMinutes * 60_000,
        threshold: pileOn.threshold,
      })
    }),
  )
  const crossed = flagged.flatMap((j, i) => {
    const count = counts[i]
    return count === null || count === undefined ? [] : [{ j, count }]
  })
  if (crossed.length === 0) return
  // @NOTE one transaction for all of them: each would otherwise queue for the chain on its own
  const alerts = await (deps.audit ?? directSink(deps.db)).write({
    events: crossed.map(({ j, count }) => pileOnAlert(j.comment, j.runtime, count, now)),
  })
  await deps.followUps.reviewAll(
    alerts.flatMap((alert, i) => {
      const c = (crossed[i] as (typeof crossed)[number]).j.comment
      if (!alert.created) return []
      return [
        {
          v: 1 as const,
          platform: c.platform,
          accountId: c.accountId,
          subjectKey: alert.event.subjectKey,
          causedBy: alert.event.id,
          kind: 'pile_on' as const,
          urgent: true,
        },
      ]
    }),
  )
}

function pileOnAlert(
  c: CommentEnvelope,
  runtime: AccountRuntime,
  count: number,
  now: Date,
): AuditEventInput {
  const { pileOn } = runtime.policy
  const windowMs = pileOn.windowMinutes * 60_000
  const windowStart = Math.floor(now.getTime() / windowMs)
  return {
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
  }
}
