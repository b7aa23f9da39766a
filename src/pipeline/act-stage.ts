import type { AuditEvent, AuditSink, Db } from '../audit/index.js'
import { actChecks, hidePendingBefore, recordVia, SETTLED_TYPES } from '../audit/index.js'
import type { PlatformVisibility } from '../connectors/types.js'
import { AppError, PlatformError } from '../errors.js'
import type { Metrics } from '../http/metrics.js'
import type { AccountDirectory, AccountRuntime } from './accounts.js'
import type { FollowUps } from './follow-ups.js'
import type { ActionRequest } from './messages.js'

export type ActDeps = {
  db: Db
  /** the group-commit writer the workers share; without it each outcome writes on its own */
  audit?: AuditSink
  accounts: AccountDirectory
  followUps: FollowUps
  metrics?: Metrics
}

/**
 * What became of one action request. `retry` errors go back to BullMQ (backoff, or a rate-limit
 * pause when the platform said how long); everything else is settled and recorded here.
 */
export type ActOutcome =
  | { kind: 'applied' | 'already_settled' | 'failed' | 'parked' | 'cancelled' }
  | { kind: 'retry'; error: PlatformError }
  /**
   * come back later, attempts intact: an automatic hide of this comment is still on its way, or
   * (with `ms`) the platform's rate-limit headers say this account must slow down
   */
  | { kind: 'wait'; ms?: number }

/**
 * The act job: one platform write, then its audit record. It first checks the audit log, so a
 * retried or re-swept request never calls the platform twice for the same fact.
 */
export async function runAct(
  req: ActionRequest,
  deps: ActDeps,
  opts: {
    /** an earlier attempt of this request started and may have reached the platform (a crash) */
    mayHaveReached?: boolean
  } = {},
): Promise<ActOutcome> {
  const runtime = deps.accounts.get(req.platform, req.accountId)
  if (!runtime)
    throw new AppError('message_invalid', `no configured ${req.platform} account ${req.accountId}`)
  // @NOTE what this request already caused, by index: not the comment's whole history
  const checks = await actChecks(deps.db, req.causedBy, req.subjectKey)
  const history = checks.caused.filter((e) => e.subjectKey === req.subjectKey)
  const settled = history.some((e) => (SETTLED_TYPES as readonly string[]).includes(e.type))
  if (settled) return { kind: 'already_settled' }
  // @NOTE a person's decision wins: an automatic action queued before it is not carried out
  if (req.requestedBy.kind === 'policy') {
    const person = checks.keptBy
    if (person) {
      await record(deps, req, runtime, 'action.cancelled', { supersededBy: person })
      deps.metrics?.platformActions.inc({
        platform: req.platform,
        action: req.action,
        result: 'cancelled',
      })
      return { kind: 'cancelled' }
    }
  } else if (
    req.action === 'unhide' &&
    (await hidePendingBefore(deps.db, req.subjectKey, req.causedBy))
  ) {
    return { kind: 'wait' }
  }

  const target = { commentId: req.commentId, authorId: req.authorId, message: req.message }
  const paceMs = runtime.client.nextCallInMs?.(req.action) ?? 0
  if (paceMs > 0) return { kind: 'wait', ms: paceMs }
  try {
    // @NOTE after a crash mid-call the platform may already have done it: look before repeating
    const found = opts.mayHaveReached ? await readBack(runtime, req) : null
    if (found === 'gone') {
      await record(deps, req, runtime, 'action.failed', {
        error: 'platform_object_gone',
        foundOnPlatform: found,
      })
      return { kind: 'failed' }
    }
    if (found !== null && found === (req.action === 'hide' ? 'hidden' : 'visible')) {
      await record(deps, req, runtime, 'action.applied', {
        platformRef: req.commentId,
        foundOnPlatform: found,
        readBack: true,
      })
      return { kind: 'applied' }
    }
    const result = await runtime.client.perform(req.action, target)
    await record(deps, req, runtime, 'action.applied', {
      platformRef: result.platformRef,
      ...(found === null ? {} : { foundOnPlatform: found, readBack: true }),
    })
    deps.metrics?.platformActions.inc({
      platform: req.platform,
      action: req.action,
      result: 'applied',
    })
    return { kind: 'applied' }
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err
    return settleFailure(err, req, runtime, deps, history)
  }
}

/** The comment's state on the platform, for a hide or unhide the platform can report on. */
async function readBack(
  runtime: AccountRuntime,
  req: ActionRequest,
): Promise<PlatformVisibility | null> {
  if (req.action !== 'hide' && req.action !== 'unhide') return null
  if (!runtime.client.visibilityOf) return null
  return runtime.client.visibilityOf(req.commentId)
}

async function settleFailure(
  err: PlatformError,
  req: ActionRequest,
  runtime: AccountRuntime,
  deps: ActDeps,
  history: AuditEvent[],
): Promise<ActOutcome> {
  const count = (result: string) =>
    deps.metrics?.platformActions.inc({ platform: req.platform, action: req.action, result })
  if (err.retryable) {
    count('retry')
    return { kind: 'retry', error: err }
  }
  if (err.code === 'platform_token_invalid') {
    // @NOTE parked, not failed: the sweep re-queues it once the token is replaced
    const already = history.some(
      (e) =>
        e.type === 'action.parked' &&
        e.causedBy === req.causedBy &&
        e.meta?.tokenFingerprint === runtime.tokenFingerprint,
    )
    if (!already) {
      await record(deps, req, runtime, 'action.parked', {
        error: err.code,
        tokenFingerprint: runtime.tokenFingerprint,
      })
      await raiseAlert(deps, req, runtime, 'token_alert', err.message)
    }
    count('parked')
    return { kind: 'parked' }
  }
  await record(deps, req, runtime, 'action.failed', { error: err.code, message: err.message })
  if (err.code === 'platform_forbidden')
    await raiseAlert(deps, req, runtime, 'platform_alert', err.message)
  count(err.code === 'platform_object_gone' ? 'gone' : 'failed')
  return { kind: 'failed' }
}

/** Records the final failure of a retryable action once BullMQ has used up its attempts. */
export async function recordExhausted(
  req: ActionRequest,
  deps: ActDeps,
  message: string,
  attempts: number,
) {
  const runtime = deps.accounts.get(req.platform, req.accountId)
  if (!runtime) return
  await record(deps, req, runtime, 'action.failed', {
    error: 'attempts_exhausted',
    message,
    attempts,
  })
  await raiseAlert(
    deps,
    req,
    runtime,
    'platform_alert',
    `gave up after ${attempts} attempts: ${message}`,
  )
}

async function record(
  deps: ActDeps,
  req: ActionRequest,
  runtime: AccountRuntime,
  type: 'action.applied' | 'action.failed' | 'action.parked' | 'action.cancelled',
  meta: Record<string, unknown>,
) {
  const suffix = type === 'action.parked' ? `/${String(meta.tokenFingerprint)}` : ''
  const recorded = await recordVia(deps.audit, deps.db, {
    type,
    subjectKey: req.subjectKey,
    platform: req.platform,
    commentId: req.commentId,
    authorId: req.authorId,
    accountId: runtime.account.id,
    actor: req.requestedBy,
    meta: { action: req.action, ...meta },
    causedBy: req.causedBy,
    dedupeKey: `${req.causedBy}/${type}${suffix}`,
  })
  // @NOTE the review message shows the comment's state (hidden, unhidden, deleted) and what a
  // decision still has to do, or what failed of it
  if (recorded.created && type !== 'action.parked' && req.action !== 'reply')
    await deps.followUps.refresh([req.subjectKey], recorded.event.id)
  return recorded
}

async function raiseAlert(
  deps: ActDeps,
  req: ActionRequest,
  runtime: AccountRuntime,
  kind: 'token_alert' | 'platform_alert',
  message: string,
) {
  // @NOTE one token alert per account and token, not one per parked comment
  const dedupeKey =
    kind === 'token_alert'
      ? `alert/token/${runtime.account.id}/${runtime.tokenFingerprint}`
      : `alert/${req.causedBy}/${kind}`
  const alert = await recordVia(deps.audit, deps.db, {
    type: 'alert.raised',
    subjectKey: req.subjectKey,
    platform: req.platform,
    commentId: req.commentId,
    accountId: runtime.account.id,
    actor: { kind: 'system', id: 'act-worker' },
    reason: message,
    meta: { alert: kind, action: req.action },
    causedBy: req.causedBy,
    dedupeKey,
  })
  if (!alert.created) return
  await deps.followUps.review({
    v: 1,
    platform: req.platform,
    accountId: req.accountId,
    subjectKey: req.subjectKey,
    causedBy: alert.event.id,
    kind,
    urgent: kind === 'token_alert',
  })
}
