/** The scheduled retention purge: runs once at start, then every intervalMs (daily). */
import {
  type Db,
  purgesAwaitingRedaction,
  purgeText,
  type RetentionRules,
  recordRedactionQueued,
  recordRetentionNote,
} from '../audit/index.js'
import { auditLogger } from '../logger.js'

const log = auditLogger.child({ component: 'retention' })

export type RetentionRun = { at: string; purged: number; allowed: number; removed: number }

export type RetentionOptions = {
  db: Db
  rules: RetentionRules
  now?: () => Date
  /** redacts copies of the purged comments' text elsewhere (their Slack review messages) */
  onPurged?: (subjectKeys: string[], purgeEventId: string) => Promise<void>
}

export class RetentionScheduler {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<RetentionRun | null> = Promise.resolve(null)
  private readonly db: Db
  private readonly rules: RetentionRules
  private readonly now: () => Date
  private readonly onPurged: RetentionOptions['onPurged']
  lastRun: RetentionRun | null = null

  constructor(opts: RetentionOptions) {
    this.db = opts.db
    this.rules = opts.rules
    this.now = opts.now ?? (() => new Date())
    this.onPurged = opts.onPurged
  }

  start(intervalMs: number): void {
    this.runNow()
    this.timer = setInterval(() => this.runNow(), intervalMs)
    // @NOTE the service's own lifecycle keeps the process alive, not this timer
    this.timer.unref()
  }

  /**
   * One purge. purgeText records retention.purged when it removed text; a run that found
   * nothing due is recorded as a note, so the trail shows the purge ran every day either way.
   */
  runNow(): Promise<RetentionRun | null> {
    this.running = this.running.then(async () => {
      const at = this.now()
      try {
        const result = await purgeText(this.db, this.rules, at)
        if (this.onPurged) await this.redactCopies(this.onPurged, at)
        if (!result.event) {
          await recordRetentionNote(this.db, {
            reason: 'retention run: no comment text was due for purging',
            meta: {
              purged: 0,
              allowedDays: this.rules.allowedDays,
              removedDays: this.rules.removedDays,
            },
            dedupeKey: `retention-run/${at.toISOString()}`,
            at: at.toISOString(),
          })
        }
        const run = {
          at: at.toISOString(),
          purged: result.purged,
          allowed: result.allowed,
          removed: result.removed,
        }
        this.lastRun = run
        log.info(run, 'retention purge ran')
        return run
      } catch (err) {
        log.error({ err: (err as Error).message }, 'retention purge failed')
        return null
      }
    })
    return this.running
  }

  /**
   * Queues the redaction of every purge's copies not queued yet: this run's, and any made by the
   * CLI or left by a crash. Each purge is marked once queued, so none is forgotten or repeated.
   */
  private async redactCopies(
    onPurged: NonNullable<RetentionOptions['onPurged']>,
    now: Date,
  ): Promise<void> {
    try {
      for (;;) {
        const pending = await purgesAwaitingRedaction(this.db, now)
        for (const p of pending) {
          await onPurged(p.subjectKeys, p.purge.id)
          await recordRedactionQueued(this.db, p)
        }
        if (pending.length === 0) return
      }
    } catch (err) {
      // @NOTE the purge stands; the next run (daily, or at start) queues what is left
      log.error({ err: (err as Error).message }, 'copies of purged text not queued for redaction')
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }
}

export const DAY_MS = 86_400_000

export function startRetention(
  opts: RetentionOptions & { intervalMs?: number },
): RetentionScheduler {
  const scheduler = new RetentionScheduler(opts)
  scheduler.start(opts.intervalMs ?? DAY_MS)
  return scheduler
}
