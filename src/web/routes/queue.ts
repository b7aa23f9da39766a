/**
 * GET /audit/queue: comments waiting for a person, with Slack's buttons; POST /audit/act: a
 * decision on one or many comments, through the same decide() and act queue as Slack.
 */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { openReviewItems, QUEUE_SORTS, type QueueSort } from '../../audit/index.js'
import { canSeeText, scopeFor } from '../access.js'
import { ActFormSchema, actOn, canDecide, explanationNeeded, explanationProblem } from '../act.js'
import { currentUser, nowOf, requireCsrf, requireUser } from '../auth.js'
import { page } from '../layout.js'
import type { WebDeps, WebEnv } from '../types.js'
import { explainForm, resultBanner, resultQuery } from '../views/act-forms.js'
import { queueTable } from '../views/queue.js'

export function queueRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/audit/queue', requireUser(), async (c) => {
    const user = currentUser(c)
    const scope = scopeFor(user)
    const q = c.req.query()
    const sort: QueueSort = (QUEUE_SORTS as readonly string[]).includes(q.sort ?? '')
      ? (q.sort as QueueSort)
      : 'waiting'
    const desc = q.dir === 'desc'
    const items = await openReviewItems(deps.db, {
      accountIds: scope.all ? null : scope.accountIds,
      sort,
      desc,
    })
    const accounts = new Map(deps.accounts().map((a) => [a.id, a]))
    const csrfToken = c.get('session')?.csrfToken ?? ''
    const back = `/audit/queue${sort !== 'waiting' || desc ? `?sort=${sort}&dir=${desc ? 'desc' : 'asc'}` : ''}`
    const body = html`${resultBanner(q)}
<p class="govuk-body">${
      items.length === 0
        ? 'Nothing is waiting for review.'
        : `${items.length} comment${items.length === 1 ? ' is' : 's are'} waiting for a decision, urgent ones first. A decision here or in Slack counts once: whichever comes first.`
    }</p>
${
  deps.review
    ? ''
    : html`<p class="govuk-body wg-muted">Decisions cannot be made from this page on this server.</p>`
}
${items.length > 0 ? queueTable({ items, accounts, withText: canSeeText(user), canDecide: (accountId) => canDecide(user, deps, accountId), csrfToken, back, sort, desc, now: nowOf(deps) }) : ''}`
    return c.html(page({ title: 'Review queue', body }))
  })

  app.post('/audit/act', requireUser(), requireCsrf(deps), async (c) => {
    const user = currentUser(c)
    const body = await c.req.parseBody({ all: true })
    const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v])
    const parsed = ActFormSchema.safeParse({
      subject: list(body.subject).map(String),
      verdict: body.verdict,
      explanation: typeof body.explanation === 'string' ? body.explanation : undefined,
      back: typeof body.back === 'string' ? body.back : undefined,
    })
    if (!parsed.success) {
      const message = parsed.error.issues.some((i) => i.path[0] === 'subject')
        ? 'Select at least one comment (at most 100 at once).'
        : 'That action was not understood. Go back and try again.'
      return c.html(
        page({
          title: 'Nothing was done',
          body: html`<p class="govuk-body" role="alert">${message}</p><p class="govuk-body"><a class="govuk-link" href="${typeof body.back === 'string' && body.back.startsWith('/audit') ? body.back : '/audit/queue'}">Go back</a></p>`,
        }),
        400,
      )
    }
    const form = parsed.data
    const csrfToken = c.get('session')?.csrfToken ?? ''
    const given = form.explanation?.trim() ? form.explanation : undefined
    // @NOTE the same rule as Slack's modal: taking something away, or putting a hidden comment
    // back, needs an explanation with real words; asked for before anything is recorded
    const problem = given ? explanationProblem(given) : null
    if (problem || (!given && (await explanationNeeded(deps, form)))) {
      return c.html(
        page({
          title: 'Explain why',
          body: explainForm({
            form,
            csrfToken,
            problem,
            count: form.subject.length,
            platform: platformOf(form.subject.map((s) => s.subjectKey)),
          }),
        }),
        problem ? 400 : 200,
      )
    }
    const results = await actOn(deps, user, form, nowOf(deps))
    if (results.some((r) => r.status === 'explanation_required')) {
      return c.html(
        page({
          title: 'Explain why',
          body: explainForm({
            form,
            csrfToken,
            problem: null,
            count: form.subject.length,
            platform: platformOf(form.subject.map((s) => s.subjectKey)),
          }),
        }),
      )
    }
    if (results.every((r) => r.status === 'not_allowed' || r.status === 'gone')) {
      return c.html(
        page({
          title: 'You cannot do that',
          body: html`<p class="govuk-body" role="alert">Only the moderators of an account can decide on its comments. Nothing was done.</p>`,
        }),
        403,
      )
    }
    const back = form.back ?? '/audit/queue'
    return c.redirect(
      `${back}${back.includes('?') ? '&' : '?'}${resultQuery(form.verdict, results)}`,
      303,
    )
  })
  return app
}

function platformOf(keys: string[]): 'facebook' | 'x' | 'mixed' {
  const set = new Set(keys.map((k) => (k.startsWith('x.') ? 'x' : 'facebook')))
  return set.size === 1 ? ([...set][0] as 'facebook' | 'x') : 'mixed'
}
