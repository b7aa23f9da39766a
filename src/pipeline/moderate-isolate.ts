/**
 * A moderate job's audit write, made safe against one comment that cannot be stored: if the
 * whole write is refused for its input, each comment is written alone, and the one that still
 * fails is recorded as rejected (with the reason, and an alert for people) instead of sinking
 * its neighbours or the job. @NOTE anything else (the store away, a bug) still fails the job,
 * which BullMQ retries.
 */
import { isUnstorableInput } from '../audit/db-errors.js'
import type { AuditSink, Recorded } from '../audit/index.js'
import { isAppError } from '../errors.js'
import { queueLogger } from '../logger.js'
import type { FollowUps } from './follow-ups.js'
import {
  decisionsWrite,
  type Judged,
  type RecordedDecision,
  subjectFields,
} from './moderate-record.js'

/** One entry per judged comment: what was recorded, or null when it was rejected. */
export async function recordJudged(
  audit: AuditSink,
  followUps: FollowUps,
  judged: Judged[],
  deliveryKey: string,
  at: string,
): Promise<(RecordedDecision | null)[]> {
  if (judged.length === 0) return []
  const facts = decisionsWrite(judged, deliveryKey, at)
  try {
    return facts.read(await audit.write(facts.write))
  } catch (err) {
    if (!isUnstorableInput(err)) throw err
    queueLogger.warn(
      { deliveryKey, comments: judged.length, err: errorCode(err) },
      'moderate write refused; writing its comments one by one',
    )
  }
  const alone = await Promise.all(
    judged.map(async (j) => {
      const one = decisionsWrite([j], deliveryKey, at)
      try {
        return { ok: true as const, recorded: one.read(await audit.write(one.write))[0] ?? null }
      } catch (err) {
        return { ok: false as const, err }
      }
    }),
  )
  const other = alone.find((r) => !r.ok && !isUnstorableInput(r.err))
  if (other && !other.ok) throw other.err
  const results: (RecordedDecision | null)[] = []
  for (const [i, r] of alone.entries()) {
    if (r.ok) {
      results.push(r.recorded)
      continue
    }
    await recordRejection(audit, followUps, judged[i] as Judged, deliveryKey, errorCode(r.err))
    results.push(null)
  }
  return results
}

async function recordRejection(
  audit: AuditSink,
  followUps: FollowUps,
  j: Judged,
  deliveryKey: string,
  code: string,
): Promise<void> {
  const c = j.comment
  const base = subjectFields(c, j.runtime)
  const reason = `comment could not be stored (${code}); it was not moderated`
  queueLogger.error({ subjectKey: c.subjectKey, deliveryKey, err: code }, 'comment rejected')
  const [, alert] = await audit.write({
    events: [
      {
        ...base,
        type: 'comment.rejected',
        actor: { kind: 'system', id: 'moderate-worker' },
        reason,
        meta: { error: code, deliveryKey, contentHash: c.contentHash },
        dedupeKey: `${c.subjectKey}/${c.contentHash}/rejected`,
      },
      {
        ...base,
        type: 'alert.raised',
        actor: { kind: 'system', id: 'moderate-worker' },
        reason,
        meta: { alert: 'comment_rejected', error: code },
        causedBy: { index: 0 },
        dedupeKey: { causeSuffix: '/alert.raised' },
      },
    ],
  })
  const raised = alert as Recorded | undefined
  if (!raised?.created) return
  await followUps.review({
    v: 1,
    platform: c.platform,
    accountId: c.accountId,
    subjectKey: c.subjectKey,
    causedBy: raised.event.id,
    kind: 'platform_alert',
    urgent: false,
  })
}

/** A short, text-free name for why it failed: a SQLSTATE or our own error code. */
function errorCode(err: unknown): string {
  if (isAppError(err)) return err.code
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? `sqlstate ${code}` : 'unknown'
}
