/** GET /audit/disagreements: where the policy and the council's moderators disagree. */
import { Hono } from 'hono'
import { z } from 'zod'
import { listDisagreements } from '../../audit/index.js'
import { canSeeText, scopeFor } from '../access.js'
import { currentUser, requireUser } from '../auth.js'
import { disagreementPatterns } from '../disagreement-patterns.js'
import { page } from '../layout.js'
import type { WebDeps, WebEnv } from '../types.js'
import { disagreementsView } from '../views/disagreements.js'

const QuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(3650).catch(90),
})

export function disagreementRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/audit/disagreements', requireUser(), async (c) => {
    const user = currentUser(c)
    const { days } = QuerySchema.parse(c.req.query())
    const now = (deps.now ?? (() => new Date()))()
    const scope = scopeFor(user)
    const { resolved, items } = await listDisagreements(deps.db, {
      since: new Date(now.getTime() - days * 86_400_000).toISOString(),
      accountIds: scope.all ? undefined : scope.accountIds,
    })
    const withText = canSeeText(user)
    const body = disagreementsView({
      days,
      resolved,
      items,
      withText,
      patterns: disagreementPatterns(items, withText),
    })
    return c.html(
      page({
        title: 'Where the policy and your moderators disagree',
        user,
        csrfToken: c.get('session')?.csrfToken,
        body,
      }),
    )
  })
  return app
}
