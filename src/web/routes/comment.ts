/** GET /audit/comments/:subjectKey: every event of one comment in order, and what it said. */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { type AuditEvent, eventsForSubject, getSnapshot, getStatus } from '../../audit/index.js'
import { canSeeAccount, canSeeText, scopeFor } from '../access.js'
import { currentUser, requireUser } from '../auth.js'
import { formatTime, page, safeUrl } from '../layout.js'
import type { WebDeps, WebEnv } from '../types.js'
import { sendToReviewForm } from '../views/send-to-review.js'

const LABELS: Partial<Record<AuditEvent['type'], string>> = {
  'comment.received': 'Received',
  'comment.edited': 'Edited by its author',
  'decision.made': 'Decided by the policy',
  'action.requested': 'Action requested',
  'action.applied': 'Action carried out',
  'action.failed': 'Action failed',
  'action.parked': 'Action parked (token problem)',
  'review.requested': 'Sent for review',
  'review.posted': 'Posted to Slack for review',
  'review.resolved': 'Resolved by an admin',
  'review.escalated': 'Escalated',
  'comment.removed_on_platform': 'Removed on the platform',
  'comment.hidden_on_platform': 'Hidden on the platform',
  'comment.unhidden_on_platform': 'Unhidden (reversed)',
}

function detail(e: AuditEvent): string {
  const m = e.meta
  const parts: string[] = []
  if (typeof m.decision === 'string') parts.push(`decision: ${m.decision}`)
  if (typeof m.verdict === 'string') parts.push(`verdict: ${m.verdict}`)
  if (typeof m.action === 'string') parts.push(`action: ${m.action}`)
  if (Array.isArray(m.actions) && m.actions.length > 0)
    parts.push(`actions: ${m.actions.join(', ')}`)
  if (typeof m.error === 'string') parts.push(`error: ${m.error}`)
  return parts.join('; ')
}

export function commentRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/audit/comments/:subjectKey', requireUser(), async (c) => {
    const user = currentUser(c)
    const subjectKey = c.req.param('subjectKey')
    const events = await eventsForSubject(deps.db, subjectKey)
    const accountId = events[0]?.accountId ?? null
    // @NOTE the same answer for "no such comment" and "not yours": ids are not secrets, but
    // which comments exist on another councillor's Page is not this user's business
    if (events.length === 0 || !canSeeAccount(scopeFor(user), accountId)) {
      return c.html(
        page({
          title: 'Comment not found',
          user,
          csrfToken: c.get('session')?.csrfToken,
          body: html`<p>No comment ${subjectKey} that you may see.</p>`,
        }),
        404,
      )
    }
    const [snapshot, status] = await Promise.all([
      getSnapshot(deps.db, subjectKey),
      getStatus(deps.db, subjectKey),
    ])
    // issue 17: a comment the policy allowed can be sent to the moderators by hand
    const canReport =
      (user.role === 'admin' || user.role === 'councillor') &&
      status?.lastDecision === 'allow' &&
      status.visibility === 'visible' &&
      status.reviewState === 'none'
    const account = deps.accounts().find((a) => a.id === accountId)
    const withText = canSeeText(user)
    const first = events[0] as AuditEvent
    const textBlock = !withText
      ? html`<p class="muted">The comment's words are shown to auditors and admins.</p>`
      : snapshot?.text != null
        ? html`<blockquote id="comment-text">${snapshot.text}</blockquote>`
        : snapshot?.purgedAt
          ? html`<p id="comment-text" class="muted">Text purged by retention on ${snapshot.purgedAt.slice(0, 10)} (${snapshot.purgeReason ?? ''}).</p>`
          : html`<p id="comment-text" class="muted">No text was recorded.</p>`
    const body = html`<dl>
<dt>Account</dt><dd>${account?.name ?? accountId} (${first.platform})</dd>
<dt>Comment</dt><dd>${first.commentId} on post ${first.postId ?? '?'}${safeUrl(snapshot?.permalink) ? html` · <a href="${safeUrl(snapshot?.permalink)}" rel="noreferrer">open on the platform</a>` : ''}</dd>
<dt>Author</dt><dd>${withText && snapshot?.authorName ? `${snapshot.authorName} ` : ''}(id ${first.authorId ?? 'unknown'})</dd>
</dl>
<h2>What it said</h2>${textBlock}
${
  withText && snapshot && snapshot.reasons.length > 0
    ? html`<h2>Why the policy flagged it</h2><ul>${snapshot.reasons.map((r) => html`<li><strong>${r.category}</strong> (${r.rule}): ${r.explanation}, matched “${r.match}”</li>`)}</ul>`
    : ''
}
<h2>History</h2>
<table id="history"><thead><tr><th>#</th><th>When</th><th>What</th><th>Who</th><th>Categories and rules</th><th>Explanation</th><th>Details</th></tr></thead><tbody>
${events.map(
  (
    e,
  ) => html`<tr data-type="${e.type}"><td>${e.id}</td><td>${formatTime(e.createdAt)}</td><td>${LABELS[e.type] ?? e.type}</td>
<td>${e.actor.kind}: ${e.actor.id}</td><td>${e.categories.join(', ')} <span class="muted">${e.ruleIds.join(', ')}</span></td>
<td>${e.reason ?? ''}</td><td>${detail(e)}</td></tr>`,
)}
</tbody></table>
${canReport ? sendToReviewForm(subjectKey, c.get('session')?.csrfToken ?? '') : ''}
${c.req.query('sent') ? html`<p id="sent" class="card">Sent to your moderators in Slack. Their decision will appear in the history above.</p>` : ''}
${withText ? html`<p><a href="/audit/evidence?comment=${encodeURIComponent(subjectKey)}">Evidence bundle (HTML)</a> · <a href="/audit/evidence.json?comment=${encodeURIComponent(subjectKey)}">JSON</a></p>` : ''}`
    return c.html(
      page({
        title: `Comment ${first.commentId}`,
        user,
        csrfToken: c.get('session')?.csrfToken,
        body,
      }),
    )
  })
  return app
}
