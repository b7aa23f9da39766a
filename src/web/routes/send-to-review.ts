/** POST /audit/comments/:subjectKey/review: a person sends an allowed comment to review. */
import { Hono } from 'hono'
import { z } from 'zod'
import { eventsForSubject, reportForReview } from '../../audit/index.js'
import { httpLogger } from '../../logger.js'
import { CATEGORIES } from '../../moderation/index.js'
import { canSeeAccount, scopeFor } from '../access.js'
import { currentUser, requireCsrf, requireUser } from '../auth.js'
import { errorPage } from '../layout.js'
import type { WebDeps, WebEnv } from '../types.js'

const FormSchema = z.object({
  category: z.enum(CATEGORIES),
  // @NOTE the same bar as a moderator's explanation: some real words
  reason: z
    .string()
    .trim()
    .max(500)
    .refine((s) => (s.match(/\p{L}/gu) ?? []).length >= 6, 'say in a few words why'),
})

const PROBLEMS = {
  not_found: 'There is no decision on that comment to review.',
  not_allowed_by_policy: 'The policy already acted on this comment or sent it to review.',
  already_in_review: 'This comment is already waiting for a moderator.',
  gone: 'This comment is no longer up.',
} as const

export function sendToReviewRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.post(
    '/audit/comments/:subjectKey/review',
    requireUser('admin', 'councillor'),
    requireCsrf(deps),
    async (c) => {
      const user = currentUser(c)
      const subjectKey = c.req.param('subjectKey')
      const events = await eventsForSubject(deps.db, subjectKey)
      const accountId = events[0]?.accountId ?? null
      if (events.length === 0 || !canSeeAccount(scopeFor(user), accountId)) {
        return c.html(errorPage(404, 'No such comment that you may see.', user), 404)
      }
      const form = FormSchema.safeParse(await c.req.parseBody())
      if (!form.success) {
        return c.html(
          errorPage(400, 'Choose what it breaks and say in a few words why.', user),
          400,
        )
      }
      const report = await reportForReview(deps.db, {
        subjectKey,
        by: `web/${user.username}`,
        category: form.data.category,
        reason: form.data.reason,
      })
      if (!report.ok) return c.html(errorPage(409, PROBLEMS[report.problem], user), 409)
      // @NOTE queued again on a repeat: the job id and the review stage make it post once
      if (deps.requestReview && accountId) {
        try {
          await deps.requestReview({ accountId, subjectKey, causedBy: report.event.id })
        } catch (err) {
          // @NOTE recorded already; sending it again queues it again
          httpLogger.error({ err: (err as Error).message, subjectKey }, 'review not queued')
          return c.html(
            errorPage(
              503,
              'Recorded, but Slack review could not be queued just now: send it again in a minute.',
              user,
            ),
            503,
          )
        }
      }
      return c.redirect(`/audit/comments/${encodeURIComponent(subjectKey)}?sent=1`, 303)
    },
  )
  return app
}
