import type { AuditEvent } from '../audit/index.js'
import { type AuditSink, eventsForSubject, recordVia } from '../audit/index.js'
import { escalationMail, type Mailer } from './escalation-mail.js'
import type { FollowUps } from './follow-ups.js'
import type { EscalateRequest } from './messages.js'
import { buildReviewItem, type ReviewItemDeps } from './review-items.js'

export type EscalateDeps = ReviewItemDeps & {
  /** null when SMTP_URL is unset: every escalation then raises an alert in Slack instead */
  mailer: Mailer | null
  council: { name: string; safetyContact?: string }
  /** PUBLIC_URL, for a link to the comment's record in the audit app */
  publicUrl: string | null
  followUps: Pick<FollowUps, 'review' | 'refresh'>
  /** the process's group-commit writer: an escalation's record shares a transaction */
  audit?: AuditSink
}

/**
 * The escalate job: mail the escalated item (its words, state, reasons and a link to its record)
 * to the account's `escalateTo`, else the council's `safetyContact`. The mail server accepting
 * it is recorded (who to, when, its message id) and shown on the Slack message. A refusal or an
 * unreachable server throws, and BullMQ tries again (ESCALATION_RETRY_MS, doubling); after the
 * last try, or when there is nobody to send to, escalationFailed() raises an alert.
 */
export async function runEscalate(req: EscalateRequest, deps: EscalateDeps): Promise<void> {
  const events = await eventsForSubject(deps.db, req.subjectKey)
  const escalated = events.find((e) => e.id === req.causedBy && e.type === 'review.escalated')
  if (!escalated) return
  if (events.some((e) => e.causedBy === escalated.id && e.meta.mail === 'accepted')) return
  const to = recipientFor(deps, escalated)
  const fail = (why: string) => escalationFailed(deps, req, why, events)
  if (!to) return fail('no safety contact is configured for this account')
  if (!deps.mailer) return fail('no mail server is configured (SMTP_URL)')
  const item = await buildReviewItem(deps, req.subjectKey)
  if (!item) return
  const by =
    escalated.actor.kind === 'policy'
      ? `Wardguard policy (version ${escalated.actor.id}), automatically`
      : `${String(escalated.meta.slackUserName ?? escalated.actor.id)} (moderator)`
  const mail = escalationMail(item, {
    to,
    by,
    councilName: deps.council.name,
    evidenceUrl: deps.publicUrl
      ? `${deps.publicUrl.replace(/\/$/, '')}/audit/comments/${encodeURIComponent(req.subjectKey)}`
      : null,
  })
  const receipt = await deps.mailer.send(mail)
  if (receipt.rejected.length > 0 || receipt.accepted.length === 0) {
    throw new Error(
      `the mail server refused the escalation mail for ${receipt.rejected.length} recipient(s)`,
    )
  }
  const accepted = await recordVia(deps.audit, deps.db, {
    type: 'note',
    subjectKey: escalated.subjectKey,
    platform: escalated.platform,
    commentId: escalated.commentId,
    accountId: escalated.accountId,
    actor: { kind: 'system', id: 'escalate-worker' },
    reason: `escalation mail accepted by the mail server for ${to}`,
    meta: {
      mail: 'accepted',
      to,
      acceptedAt: new Date().toISOString(),
      messageId: receipt.messageId,
    },
    causedBy: escalated.id,
    dedupeKey: `${escalated.id}/mail.accepted`,
  })
  await deps.followUps.refresh([req.subjectKey], accepted.event.id)
}

function recipientFor(deps: EscalateDeps, escalated: AuditEvent): string | null {
  const runtime = escalated.accountId ? deps.accounts.byId(escalated.accountId) : undefined
  return runtime?.account.review.escalateTo ?? deps.council.safetyContact ?? null
}

/**
 * The escalation could not be sent: an alert on the item, posted to the review channel (a
 * person must tell the safety contact themselves), and the review message says so.
 */
export async function escalationFailed(
  deps: Pick<EscalateDeps, 'db' | 'accounts' | 'followUps' | 'council' | 'audit'>,
  req: EscalateRequest,
  why: string,
  /** the subject's events, when the caller has just read them */
  known?: AuditEvent[],
): Promise<void> {
  const events = known ?? (await eventsForSubject(deps.db, req.subjectKey))
  const escalated = events.find((e) => e.id === req.causedBy)
  if (!escalated?.accountId) return
  const runtime = deps.accounts.byId(escalated.accountId)
  const to = runtime?.account.review.escalateTo ?? deps.council.safetyContact ?? null
  const alert = await recordVia(deps.audit, deps.db, {
    type: 'alert.raised',
    subjectKey: escalated.subjectKey,
    platform: escalated.platform,
    commentId: escalated.commentId,
    accountId: escalated.accountId,
    actor: { kind: 'system', id: 'escalate-worker' },
    reason: `Escalation mail${to ? ` to ${to}` : ''} not sent: ${why}. Tell the safety contact yourself (ref ${escalated.subjectKey}).`,
    meta: { alert: 'escalation', to },
    causedBy: escalated.id,
    dedupeKey: `${escalated.id}/escalation.failed`,
  })
  if (!alert.created || !runtime) return
  await deps.followUps.review({
    v: 1,
    platform: runtime.platform,
    accountId: runtime.platformId,
    subjectKey: escalated.subjectKey,
    causedBy: alert.event.id,
    kind: 'platform_alert',
    urgent: true,
  })
  await deps.followUps.refresh([escalated.subjectKey], alert.event.id)
}
