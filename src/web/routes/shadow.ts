/** /audit/shadow: shadow runs, their daily differences, and the switch (admins). */
import { Hono } from 'hono'
import { z } from 'zod'
import {
  accountEngines,
  getShadowRun,
  listShadowRuns,
  shadowChanges,
  shadowDays,
  switchToCandidate,
} from '../../audit/index.js'
import { canSeeAccount, scopeFor } from '../access.js'
import { currentUser, requireCsrf, requireUser } from '../auth.js'
import { errorPage, page } from '../layout.js'
import type { WebDeps, WebEnv } from '../types.js'
import { type ShadowRunView, shadowView } from '../views/shadow.js'

const count = z.number().int().min(0).max(1e9)
const SeenSchema = z.object({
  compared: count,
  changed: count,
  hidesGained: count,
  hidesLost: count,
  reviewsGained: count,
  reviewsLost: count,
})

function totalsOf(days: { compared: number }[]) {
  const t = {
    compared: 0,
    changed: 0,
    hidesGained: 0,
    hidesLost: 0,
    reviewsGained: 0,
    reviewsLost: 0,
  }
  for (const d of days)
    for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += (d as typeof t)[k]
  return t
}

export function shadowRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  const now = () => (deps.now ?? (() => new Date()))()

  app.get('/audit/shadow', requireUser(), async (c) => {
    const user = currentUser(c)
    const scope = scopeFor(user)
    const runs = await listShadowRuns(deps.db, {
      accountIds: scope.all ? undefined : scope.accountIds,
    })
    const engines = new Map((await accountEngines(deps.db)).map((e) => [e.accountId, e]))
    const names = new Map(deps.accounts().map((a) => [a.id, a.name]))
    const views: ShadowRunView[] = []
    for (const run of runs.slice(0, 20)) {
      const days = await shadowDays(deps.db, run.id)
      views.push({
        run,
        accountName: names.get(run.accountId) ?? run.accountId,
        days,
        totals: totalsOf(days),
        changes: await shadowChanges(deps.db, run.id, 20),
        engine: engines.get(run.accountId) ?? null,
      })
    }
    const csrf = c.get('session')?.csrfToken ?? ''
    const body = shadowView({
      runs: views,
      canSwitch: user.role === 'admin',
      csrf,
      now: now(),
      switched: c.req.query('switched'),
    })
    return c.html(page({ title: 'Shadow runs', user, csrfToken: csrf, body }))
  })

  app.post('/audit/shadow/:id/switch', requireUser('admin'), requireCsrf(deps), async (c) => {
    const user = currentUser(c)
    const run = await getShadowRun(deps.db, c.req.param('id'))
    if (!run || !canSeeAccount(scopeFor(user), run.accountId)) {
      return c.html(errorPage(404, 'No such shadow run.', user), 404)
    }
    const form = await c.req.parseBody()
    let seen: z.infer<typeof SeenSchema>
    try {
      seen = SeenSchema.parse(JSON.parse(String(form.seen ?? '')))
    } catch {
      return c.html(errorPage(400, 'Open the shadow page again and switch from there.', user), 400)
    }
    // @NOTE what was on the screen, and what the store held at the moment of the switch
    const atSwitch = totalsOf(await shadowDays(deps.db, run.id))
    const switched = await switchToCandidate(deps.db, {
      runId: run.id,
      by: `web/${user.username}`,
      diffSeen: { ...seen, atSwitch },
    })
    if (!switched) {
      return c.html(errorPage(409, 'This run was switched already.', user), 409)
    }
    await deps.enginesChanged?.()
    return c.redirect(`/audit/shadow?switched=${encodeURIComponent(run.id)}`, 303)
  })
  return app
}
