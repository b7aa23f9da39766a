import { DelayedError, type Job, type Processor, UnrecoverableError, Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import type { z } from 'zod'
import { isConnectionLoss } from '../audit/db-errors.js'
import { AuditWriter } from '../audit/index.js'
import { isAppError } from '../errors.js'
import { queueLogger } from '../logger.js'
import { type ActDeps, recordExhausted, runAct } from '../pipeline/act-stage.js'
import { type EscalateDeps, escalationFailed, runEscalate } from '../pipeline/escalate-stage.js'
import { REFRESH_JOB } from '../pipeline/follow-ups.js'
import {
  ActionRequestSchema,
  EscalateRequestSchema,
  ModerateMessageSchema,
  type RefreshRequest,
  RefreshRequestSchema,
  type ReviewRequest,
  ReviewRequestSchema,
} from '../pipeline/messages.js'
import { type ModerateDeps, runModerate } from '../pipeline/moderate-stage.js'
import { QUEUE_NAMES } from './names.js'

export type WorkerOptions = {
  connection: Redis
  prefix?: string
  concurrency: number
  /** a crashed worker's jobs return to the queue after this long */
  lockMs?: number
  actRatePerSecond: number
  moderate: ModerateDeps
  act: ActDeps
  /** posts one review item; absent until Slack is configured, and the review queue then waits */
  postReview?: (req: ReviewRequest) => Promise<void>
  /** re-renders a posted review message; refresh jobs wait in the review queue without it */
  refreshReview?: (req: RefreshRequest) => Promise<void>
  /** escalation mail to the safety contact */
  escalate?: EscalateDeps
}

export type Workers = { all: Worker[]; close(): Promise<void> }

/**
 * One BullMQ Worker per queue. This file is the only place that knows about BullMQ's processor
 * contract: it parses the message at the door, runs the stage, and turns our errors into
 * BullMQ's retry semantics (retry with backoff, rate-limit pause, or UnrecoverableError).
 */
export function createWorkers(opts: WorkerOptions): Workers {
  const base = {
    connection: opts.connection,
    prefix: opts.prefix ?? 'wg',
    lockDuration: opts.lockMs ?? 30_000,
    stalledInterval: opts.lockMs ?? 30_000,
  }
  const workers: Worker[] = []
  // @NOTE one writer for every stage of this process: concurrent jobs' audit records share one
  // chain-locked transaction instead of queueing for the lock one transaction each
  const audit = new AuditWriter(opts.moderate.db)
  const moderate = { ...opts.moderate, audit: opts.moderate.audit ?? audit }
  const act = { ...opts.act, audit: opts.act.audit ?? audit }

  const moderateWorker: Worker = new Worker(
    QUEUE_NAMES.moderate,
    guarded(ModerateMessageSchema, (msg) => runModerate(msg, moderate), {
      onUnavailable: () => moderateWorker,
    }),
    { ...base, concurrency: opts.concurrency },
  )
  // @NOTE the comment's text has done its work once the job completes (it is in the audit
  // store, where retention purges it); the job is kept 48 h for its id, so only ids stay in it
  moderateWorker.on('completed', (job) => {
    job
      .updateData(withoutText(job.data) as never)
      .catch((err: unknown) =>
        queueLogger.warn({ jobId: job.id, err: (err as Error).message }, 'job text not removed'),
      )
  })
  workers.push(moderateWorker)

  for (const name of [QUEUE_NAMES.actFacebook, QUEUE_NAMES.actX]) {
    const worker: Worker = new Worker(
      name,
      guarded(
        ActionRequestSchema,
        async (req, job) => {
          // @NOTE started before (a crash or a stall), or re-queued by the sweep: the earlier
          // attempt may have reached the platform
          // (a start that ended in a deliberate wait never called the platform)
          const waits = waitsOf(job)
          const mayHaveReached =
            job.attemptsStarted - waits > 1 || String(job.id).includes('.sweep')
          const outcome = await runAct(req, act, { mayHaveReached })
          if (outcome.kind === 'wait') {
            // @NOTE waiting is not failing: the job comes back later with its attempts intact
            await job.updateProgress({ waits: waits + 1 })
            await job.moveToDelayed(Date.now() + (outcome.ms ?? WAIT_FOR_HIDE_MS), job.token)
            throw new DelayedError()
          }
          if (outcome.kind !== 'retry') return outcome
          if (outcome.error.retryAfterMs) {
            // @NOTE the platform said when to come back: pause the whole queue, keep the attempt
            await worker.rateLimit(outcome.error.retryAfterMs)
            throw Worker.RateLimitError()
          }
          throw outcome.error
        },
        { onUnavailable: () => worker },
      ),
      {
        ...base,
        concurrency: Math.min(opts.concurrency, 4),
        limiter: { max: opts.actRatePerSecond, duration: 1_000 },
      },
    )
    worker.on('failed', (job, err) => {
      if (!job || !isFinalFailure(job, err)) return
      const parsed = ActionRequestSchema.safeParse(job.data)
      if (!parsed.success) return
      recordExhausted(parsed.data, act, err.message, job.attemptsMade).catch((e) =>
        queueLogger.error({ err: (e as Error).message, jobId: job.id }, 'could not record failure'),
      )
    })
    workers.push(worker)
  }

  if (opts.postReview) {
    const post = guarded(ReviewRequestSchema, opts.postReview, {
      onUnavailable: () => reviewWorker,
    })
    const refreshReview = opts.refreshReview
    const refresh = refreshReview
      ? guarded(RefreshRequestSchema, refreshReview, { onUnavailable: () => reviewWorker })
      : null
    const reviewWorker: Worker = new Worker(
      QUEUE_NAMES.review,
      async (job, token) => {
        if (job.name !== REFRESH_JOB) return post(job, token)
        // @NOTE a refresh without a Slack side to render it has nothing to do
        return refresh ? refresh(job, token) : undefined
      },
      { ...base, concurrency: 2 },
    )
    workers.push(reviewWorker)
  }

  if (opts.escalate) {
    const deps = { ...opts.escalate, audit: opts.escalate.audit ?? audit }
    const escalateWorker: Worker = new Worker(
      QUEUE_NAMES.escalate,
      guarded(EscalateRequestSchema, (req) => runEscalate(req, deps), {
        onUnavailable: () => escalateWorker,
      }),
      { ...base, concurrency: 2 },
    )
    // @NOTE never dropped: after the last try the item is flagged and the channel alerted
    escalateWorker.on('failed', (job, err) => {
      if (!job || !isFinalFailure(job, err)) return
      const parsed = EscalateRequestSchema.safeParse(job.data)
      if (!parsed.success) return
      escalationFailed(
        deps,
        parsed.data,
        `gave up after ${job.attemptsMade} tries (${err.message})`,
      ).catch((e) =>
        queueLogger.error({ err: (e as Error).message, jobId: job.id }, 'could not record failure'),
      )
    })
    workers.push(escalateWorker)
  }

  for (const worker of workers) {
    worker.on('error', (err) =>
      queueLogger.error({ queue: worker.name, err: err.message }, 'worker error'),
    )
    worker.on('failed', (job, err) =>
      queueLogger.warn(
        { queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
        'job failed',
      ),
    )
  }

  return {
    all: workers,
    // @NOTE close() waits for active jobs to finish: that is the graceful drain on shutdown
    close: async () => {
      await Promise.all(workers.map((w) => closeWorker(w)))
      await audit.stop()
    },
  }
}

/** A person's action waits this long for an automatic hide still on its way. */
const WAIT_FOR_HIDE_MS = 1_000

function waitsOf(job: Job): number {
  const progress = job.progress
  if (typeof progress !== 'object' || progress === null) return 0
  const waits = (progress as { waits?: unknown }).waits
  return typeof waits === 'number' ? waits : 0
}

/** While the audit store is away, a worker pauses this long between tries. */
export const OUTAGE_PAUSE_MS = 2_000

/**
 * Validates the job data at the worker's door and maps errors to retry or give up.
 * @NOTE with `onUnavailable`, a job that failed because the audit store was away pauses its
 * worker and goes back to the queue without using up an attempt: an outage longer than the
 * retries would otherwise push every job in flight into the failed set.
 */
export function guarded<S extends z.ZodType, R>(
  schema: S,
  run: (data: z.infer<S>, job: Job) => Promise<R>,
  opts: { onUnavailable?: () => Worker } = {},
): Processor {
  return async (job: Job) => {
    const parsed = schema.safeParse(job.data)
    if (!parsed.success) {
      // poison message: kept in the failed set for inspection, never retried
      throw new UnrecoverableError(
        `invalid ${job.name} message: ${parsed.error.issues[0]?.message}`,
      )
    }
    try {
      return await run(parsed.data, job)
    } catch (err) {
      const worker = opts.onUnavailable?.()
      if (worker && isConnectionLoss(err)) {
        queueLogger.warn({ queue: worker.name, jobId: job.id }, 'audit store away; job waits')
        await worker.rateLimit(OUTAGE_PAUSE_MS)
        throw Worker.RateLimitError()
      }
      if (isAppError(err) && !err.retryable)
        throw new UnrecoverableError(`${err.code}: ${err.message}`)
      throw err
    }
  }
}

function isFinalFailure(job: Job, err: Error): boolean {
  if (err instanceof UnrecoverableError || err.name === 'UnrecoverableError') return false
  if (err.name === 'RateLimitError') return false
  return job.attemptsMade >= (job.opts.attempts ?? 1)
}

/** A completed moderate job's data with the comments reduced to their ids and content hashes. */
export function withoutText(data: unknown): Record<string, unknown> {
  const parsed = ModerateMessageSchema.safeParse(data)
  if (!parsed.success) return { textRemoved: true }
  const { comments, ...rest } = parsed.data
  return {
    ...rest,
    textRemoved: true,
    comments: comments.map((c) => ({
      subjectKey: c.subjectKey,
      commentId: c.commentId,
      contentHash: c.contentHash,
    })),
  }
}

/**
 * A job stuck on an unreachable Redis or platform would hold a graceful close forever: after the
 * drain budget the worker is closed by force, and BullMQ's stalled-job check hands the job to the
 * next process (nothing is lost, it runs again).
 */
async function closeWorker(worker: Worker, drainMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const drained = worker.close().then(() => 'drained' as const)
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), drainMs)
  })
  const outcome = await Promise.race([drained, late])
  clearTimeout(timer)
  if (outcome === 'late') await worker.close(true)
}
