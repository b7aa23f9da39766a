import type { Db } from '../audit/index.js'
import { eventsCausedBy, findStaleActionRequests } from '../audit/index.js'
import { queueLogger } from '../logger.js'
import type { AccountDirectory } from './accounts.js'
import type { FollowUps } from './follow-ups.js'
import {
  type ActionRequest,
  ActorSchema,
  PlatformActionSchema,
  PlatformSchema,
} from './messages.js'

export type SweepDeps = {
  db: Db
  accounts: AccountDirectory
  followUps: FollowUps
  /** an action.requested older than this with no outcome is presumed lost */
  staleAfterMs: number
}

/**
 * Re-queues actions that were requested but never applied or failed: Redis lost the job, or a
 * token was expired and has since been replaced. The act stage checks the audit log first, so
 * a re-queued action that did run is not run again.
 */
export async function sweepOnce(deps: SweepDeps, now = new Date()): Promise<number> {
  const stale = await findStaleActionRequests(deps.db, deps.staleAfterMs, now, {
    includeParked: true,
  })
  let requeued = 0
  for (const event of stale) {
    const platform = PlatformSchema.safeParse(event.platform)
    const action = PlatformActionSchema.safeParse(event.meta?.action)
    const actor = ActorSchema.safeParse(event.actor)
    if (!platform.success || !action.success || !actor.success) continue
    const runtime = event.accountId ? deps.accounts.byId(event.accountId) : undefined
    if (!runtime) continue
    const caused = await eventsCausedBy(deps.db, event.id)
    // @NOTE parked on this very token: waiting for someone to replace it, not lost
    const parkedOnThisToken = caused.some(
      (e) =>
        e.type === 'action.parked' &&
        e.subjectKey === event.subjectKey &&
        e.meta?.tokenFingerprint === runtime.tokenFingerprint,
    )
    if (parkedOnThisToken) continue
    const req: ActionRequest = {
      v: 1,
      platform: platform.data,
      accountId: runtime.platformId,
      subjectKey: event.subjectKey,
      // a reply goes where it was aimed (the comment, or the post of a removed comment)
      commentId: String(event.meta?.replyTo ?? event.commentId ?? ''),
      authorId: event.authorId ?? '',
      action: action.data,
      ...(action.data === 'reply' && event.reason ? { message: event.reason } : {}),
      requestedBy: actor.data,
      causedBy: event.id,
    }
    await deps.followUps.act(req, `sweep${Math.floor(now.getTime() / deps.staleAfterMs)}`)
    requeued++
  }
  if (requeued > 0) queueLogger.info({ requeued }, 'sweep re-queued lost actions')
  return requeued
}

/** Runs sweepOnce on an interval; stop() waits for a sweep in progress. */
export class Sweeper {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<unknown> = Promise.resolve()
  private readonly deps: SweepDeps
  private readonly intervalMs: number

  constructor(deps: SweepDeps, intervalMs: number) {
    this.deps = deps
    this.intervalMs = intervalMs
  }

  start(): void {
    const tick = () => {
      this.running = sweepOnce(this.deps).catch((err) =>
        queueLogger.error({ err: (err as Error).message }, 'sweep failed'),
      )
    }
    tick()
    this.timer = setInterval(tick, this.intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }
}
