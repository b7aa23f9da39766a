/** GET /audit/comments/:subjectKey: one comment, what it said and why, its history, and actions. */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { eventsForSubject, getSnapshot, getStatus } from '../../audit/index.js'
import { canSeeAccount, canSeeText, scopeFor } from '../access.js'
import { canDecide } from '../act.js'
import { currentUser, requireUser } from '../auth.js'
import { page } from '../layout.js'
import { nameResolver } from '../plain.js'
import type { WebDeps, WebEnv } from '../types.js'
import { namesForModerators } from '../users.js'
import { itemButtons, resultBanner } from '../views/act-forms.js'
import { commentReasons, commentSummary, commentText, timeline } from '../views/comment.js'
import { sendToReviewForm } from '../views/send-to-review.js'

export function commentRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/audit/comments/:subjectKey', requireUser(), async (c) => {
    const user = currentUser(c)
    const subjectKey = c.req.param('subjectKey')
    const events = await eventsForSubject(deps.db, subjectKey)
    const accountId = events[0]?.accountId ?? null
    // @NOTE the same answer for "no such comment" and "not yours": ids are not secrets, but
    // which comments exist on another councillor's Page is not this user's business
    const first = events[0]
    if (!first || !canSeeAccount(scopeFor(user), accountId)) {
      return c.html(
        page({
          title: 'Comment not found',
          body: html`<p class="govuk-body">There is no comment ${subjectKey} that you may see.</p>`,
        }),
        404,
      )
    }
    const [snapshot, status] = await Promise.all([
      getSnapshot(deps.db, subjectKey),
      getStatus(deps.db, subjectKey),
    ])
    const account = deps.accounts().find((a) => a.id === accountId)
    const withText = canSeeText(user)
    const moderators = events
      .filter((e) => e.actor.kind === 'moderator')
      .map((e) => e.actor.id.replace(/^slack\//, ''))
    const nameOf = nameResolver(await namesForModerators(deps.db, [...new Set(moderators)]))
    const decision = [...events].reverse().find((e) => e.type === 'decision.made')
    const request = [...events].reverse().find((e) => e.type === 'review.requested')
    const here = `/audit/comments/${encodeURIComponent(subjectKey)}`
    const mayDecide = accountId !== null && status !== null && canDecide(user, deps, accountId)
    const inReview = status?.reviewState === 'open' || status?.reviewState === 'escalated'
    // issue 17: a comment the policy allowed can be sent to the moderators by hand
    const canReport =
      (user.role === 'admin' || user.role === 'councillor') &&
      status?.lastDecision === 'allow' &&
      status.visibility === 'visible' &&
      status.reviewState === 'none'
    const body = html`${resultBanner(c.req.query())}
${commentSummary({ first, status, snapshot, accountName: account?.name ?? accountId ?? '', withText })}
<h2 class="govuk-heading-m">What it said</h2>${commentText({ snapshot, withText })}
<h2 class="govuk-heading-m">Why Wardguard flagged it</h2>
${commentReasons({ snapshot, categories: decision?.categories ?? status?.categories ?? [], withText })}
${
  mayDecide && status
    ? html`<h2 class="govuk-heading-m" id="decide">${inReview ? 'Decide' : 'Act on this comment'}</h2>
${inReview ? html`<p class="govuk-body">This comment is waiting for review. A decision here or in Slack counts once: whichever comes first.</p>` : ''}
${itemButtons({
  item: {
    subjectKey,
    lastEventId: status.lastEventId,
    platform: first.platform as 'facebook' | 'x',
    hidden: status.visibility === 'hidden',
    deleted: status.visibility === 'deleted',
    inReview,
    suggested: typeof request?.meta.suggested === 'string' ? request.meta.suggested : null,
  },
  csrfToken: c.get('session')?.csrfToken ?? '',
  back: here,
  about: '',
})}`
    : ''
}
${canReport ? sendToReviewForm(subjectKey, c.get('session')?.csrfToken ?? '') : ''}
${c.req.query('sent') ? html`<div class="govuk-inset-text" id="sent">Sent to your moderators in Slack. Their decision will appear in the history below.</div>` : ''}
<h2 class="govuk-heading-m">History</h2>
${timeline(events, nameOf)}
${
  user.role !== 'councillor'
    ? html`<p class="govuk-body"><a class="govuk-link" href="/audit/evidence?comment=${encodeURIComponent(subjectKey)}">Evidence bundle for this comment</a> · <a class="govuk-link" href="/audit/evidence.json?comment=${encodeURIComponent(subjectKey)}">as JSON</a></p>`
    : ''
}`
    return c.html(
      page({
        title: 'Comment',
        caption: `${account?.name ?? accountId} · ${first.platform === 'facebook' ? 'Facebook' : 'X'}`,
        body,
      }),
    )
  })
  return app
}
