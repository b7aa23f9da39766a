/**
 * Connect a Facebook Page (admins): Facebook Login → callback → the Pages the person moderates
 * → settings for the new ones → connectFacebookPage for each chosen Page. The long-lived user
 * token waits server-side (oauth-pending.ts) between the callback and the form.
 */
import { type Context, Hono } from 'hono'
import { html } from 'hono/html'
import { z } from 'zod'
import {
  connectFacebookPage,
  findFacebookAccount,
  graphTarget,
} from '../../accounts/connect-facebook.js'
import type { Onboarding } from '../../accounts/onboarding.js'
import {
  exchangeCode,
  exchangeLongLived,
  facebookDialogUrl,
  listModeratablePages,
  type ModeratablePage,
} from '../../connectors/facebook/oauth.js'
import {
  checkNewAccount,
  describeErrors,
  emptySettings,
  type FieldErrors,
  readSettings,
  type SettingsValues,
  settingsFields,
  settingsOf,
  suggestId,
} from '../account-form.js'
import {
  actorOf,
  callbackUrl,
  connectBlocker,
  flowPage,
  needOnboarding,
  PENDING_PROBLEM,
  problemOf,
  refusedPage,
  sessionKey,
} from '../accounts-web.js'
import { currentUser, nowOf, requireCsrf, requireUser } from '../auth.js'
import { csrfField, type Html, page } from '../layout.js'
import { createPending, dropPending, readPending } from '../oauth-pending.js'
import type { WebDeps, WebEnv } from '../types.js'

const CALLBACK = '/audit/accounts/facebook/callback'
const PAGES = '/audit/accounts/facebook/pages'

const DialogState = z.object({ redirectUri: z.string() })
const UserToken = z.object({ userToken: z.string().min(1) })

export function connectFacebookRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  const admin = requireUser('admin')

  app.post('/audit/accounts/facebook/start', admin, requireCsrf(deps), async (c) => {
    const { ob } = needOnboarding(deps)
    const blocked = connectBlocker(ob, 'facebook')
    if (blocked || !ob.keyring || !ob.env.FACEBOOK_APP_ID)
      return flowPage(c, { title: 'Cannot connect yet', status: 400, message: blocked ?? '' })
    const redirectUri = callbackUrl(ob, CALLBACK)
    const state = await createPending(ob.db, ob.keyring, {
      purpose: 'facebook-dialog',
      sessionKey: sessionKey(c),
      payload: { redirectUri },
      now: nowOf(deps),
    })
    const url = facebookDialogUrl({
      dialogUrl: ob.env.FACEBOOK_DIALOG_URL,
      apiVersion: ob.env.FACEBOOK_API_VERSION,
      appId: ob.env.FACEBOOK_APP_ID,
      redirectUri,
      state,
    })
    return c.redirect(url, 303)
  })

  app.get(CALLBACK, admin, async (c) => {
    const { ob } = needOnboarding(deps)
    const keyring = ob.keyring
    const q = c.req.query()
    if (!keyring)
      return flowPage(c, {
        title: 'Cannot connect',
        status: 400,
        message: connectBlocker(ob, 'facebook') ?? '',
      })
    const dialog = await readPending(ob.db, keyring, DialogState, {
      handle: q.state ?? '',
      purpose: 'facebook-dialog',
      sessionKey: sessionKey(c),
      now: nowOf(deps),
      mode: 'take',
    })
    if (q.error) {
      return flowPage(c, {
        title: 'Facebook sign-in cancelled',
        message:
          q.error === 'access_denied'
            ? 'You cancelled the Facebook sign-in (or did not allow the permissions Wardguard needs), so nothing was connected. You can try again at any time.'
            : `Facebook did not sign you in (${q.error_description ?? q.error}), so nothing was connected.`,
      })
    }
    if (!dialog.ok) {
      return flowPage(c, {
        title: 'Sign-in not accepted',
        status: 400,
        message: PENDING_PROBLEM[dialog.problem],
      })
    }
    const secret = ob.env.FACEBOOK_APP_SECRET
    const appId = ob.env.FACEBOOK_APP_ID
    if (!appId || !secret) {
      return flowPage(c, {
        title: 'Cannot connect',
        status: 400,
        message: connectBlocker(ob, 'facebook') ?? '',
      })
    }
    let userToken: string
    try {
      const app = { ...graphTarget(ob), appId, appSecret: secret }
      const short = await exchangeCode({
        ...app,
        redirectUri: dialog.payload.redirectUri,
        code: q.code ?? '',
      })
      userToken = (await exchangeLongLived({ ...app, userToken: short.token })).token
    } catch (err) {
      return refusedPage(c, 'Facebook', err)
    }
    const flow = await createPending(ob.db, keyring, {
      purpose: 'facebook-pages',
      sessionKey: sessionKey(c),
      payload: { userToken },
      now: nowOf(deps),
    })
    return c.redirect(`${PAGES}?flow=${encodeURIComponent(flow)}`, 303)
  })

  app.get(PAGES, admin, async (c) => {
    const flow = c.req.query('flow') ?? ''
    const ready = await pagesOf(c, deps, flow)
    if (ready instanceof Response) return ready
    return pagesForm(c, flow, ready)
  })

  app.post(PAGES, admin, requireCsrf(deps), async (c) => {
    const { ob } = needOnboarding(deps)
    const body = await c.req.parseBody()
    const flow = typeof body.flow === 'string' ? body.flow : ''
    const ready = await pagesOf(c, deps, flow)
    if (ready instanceof Response) return ready
    const chosen = ready.filter((p) => body[`connect_${p.page.id}`] === 'on')
    const values = new Map(ready.map((p) => [p.page.id, readSettings(body, `p${p.page.id}_`)]))
    const posted = { values, chosen: new Set(chosen.map((p) => p.page.id)) }
    if (chosen.length === 0) {
      return pagesForm(c, flow, ready, {
        posted,
        problem: 'Choose at least one Page to connect.',
        status: 400,
      })
    }
    // every new Page's settings are checked before any Page is connected
    const errors: Record<string, FieldErrors> = {}
    const ids = new Set<string>()
    for (const p of chosen.filter((x) => !x.watched)) {
      const v = values.get(p.page.id) ?? emptySettings()
      const e = await checkNewAccount(ob, {
        ...settingsOf(v),
        platform: 'facebook',
        pageId: p.page.id,
      })
      if (!e.id && ids.has(v.id)) e.id = `${v.id} is given to two Pages here; choose another`
      ids.add(v.id)
      if (Object.keys(e).length > 0) errors[p.page.id] = e
    }
    if (Object.keys(errors).length > 0) {
      return pagesForm(c, flow, ready, {
        errors,
        posted,
        problem: 'Nothing was connected: fix the settings marked below.',
        status: 400,
      })
    }
    const connected: string[] = []
    const failed: string[] = []
    for (const p of chosen) {
      try {
        const v = values.get(p.page.id) ?? emptySettings()
        const result = await connectFacebookPage(ob, {
          page: p.page,
          settings: p.watched ? undefined : settingsOf(v),
          by: actorOf(currentUser(c)),
        })
        connected.push(result.accountId)
      } catch (err) {
        failed.push(`${p.page.name}: ${problemOf(err).message}`)
      }
    }
    if (failed.length > 0) {
      // @NOTE the flow is kept: the Pages that failed can be tried again from the same form
      const done = connected.length > 0 ? `Connected: ${connected.join(', ')}. ` : ''
      const again = await pagesOf(c, deps, flow)
      if (again instanceof Response) return again
      return pagesForm(c, flow, again, {
        posted,
        problem: `${done}Not connected: ${failed.join('; ')}`,
        status: 502,
      })
    }
    await dropPending(ob.db, flow)
    return c.redirect(`/audit/accounts?connected=${connected.join(',')}`, 303)
  })
  return app
}

type PageChoice = {
  page: ModeratablePage
  watched: { id: string; managedIn: 'yaml' | 'web' } | null
}

/** The Pages the signed-in Facebook user moderates, read again with the token kept for this flow. */
async function pagesOf(
  c: Context<WebEnv>,
  deps: WebDeps,
  flow: string,
): Promise<PageChoice[] | Response> {
  const { ob } = needOnboarding(deps)
  if (!ob.keyring)
    return flowPage(c, {
      title: 'Cannot connect',
      status: 400,
      message: connectBlocker(ob, 'facebook') ?? '',
    })
  const pending = await readPending(ob.db, ob.keyring, UserToken, {
    handle: flow,
    purpose: 'facebook-pages',
    sessionKey: sessionKey(c),
    now: nowOf(deps),
    mode: 'peek',
  })
  if (!pending.ok)
    return flowPage(c, {
      title: 'Sign-in not accepted',
      status: 400,
      message: PENDING_PROBLEM[pending.problem],
    })
  let pages: ModeratablePage[]
  try {
    pages = await listModeratablePages({ ...graphTarget(ob), userToken: pending.payload.userToken })
  } catch (err) {
    return refusedPage(c, 'Facebook', err)
  }
  return Promise.all(pages.map(async (page) => ({ page, watched: await watchedAs(ob, page.id) })))
}

async function watchedAs(ob: Onboarding, pageId: string) {
  const found = await findFacebookAccount(ob, pageId)
  return found ? { id: found.account.id, managedIn: found.managedIn } : null
}

type FormState = {
  errors?: Record<string, FieldErrors>
  /** what was posted: values by Page id, and which Pages were ticked */
  posted?: { values: Map<string, SettingsValues>; chosen: Set<string> }
  problem?: string
  status?: 200 | 400 | 502
}

function pagesForm(c: Context<WebEnv>, flow: string, choices: PageChoice[], f: FormState = {}) {
  const csrf = c.get('session')?.csrfToken ?? ''
  const errors = f.errors ?? {}
  const list = Object.entries(errors).flatMap(([pageId, e]) => {
    const name = choices.find((p) => p.page.id === pageId)?.page.name ?? pageId
    return describeErrors(e).map((d) => `${name}: ${d}`)
  })
  const body = html`${f.problem ? html`<div class="error" role="alert"><p>${f.problem}</p>${list.length > 0 ? html`<ul>${list.map((l) => html`<li>${l}</li>`)}</ul>` : ''}</div>` : ''}
${
  choices.length === 0
    ? html`<p>You do not moderate any Facebook Page with this Facebook account (Wardguard needs the Moderate task on a Page). Nothing was connected.</p>`
    : html`<p>Choose the Pages Wardguard should moderate. Pages it already watches get a new token; new Pages need their settings.</p>
<form method="post" action="${PAGES}" class="stack">${csrfField(csrf)}<input type="hidden" name="flow" value="${flow}">
${choices.map((p) => pageChoice(p, errors[p.page.id] ?? {}, f.posted))}
<button>Connect</button></form>`
}
<p><a href="/audit/accounts">Back to Accounts</a></p>`
  return c.html(
    page({ title: 'Connect a Facebook Page', user: currentUser(c), csrfToken: csrf, body }),
    f.status ?? 200,
  )
}

function pageChoice(p: PageChoice, errors: FieldErrors, posted: FormState['posted']): Html {
  const id = p.page.id
  // first time: new Pages ticked, watched ones not; after a post: as the person left them
  const checked = posted ? posted.chosen.has(id) : !p.watched
  const box = html`<label class="inline"><span><input type="checkbox" name="connect_${id}" ${checked ? 'checked' : ''}>
<strong>${p.page.name}</strong> (Page ${id})</span></label>`
  if (p.watched) {
    return html`<fieldset class="card" data-page="${id}">${box}
<p class="muted">Already watched as ${p.watched.id} (${p.watched.managedIn === 'yaml' ? 'managed in YAML' : 'connected here'}); ticking it stores this new token.</p></fieldset>`
  }
  const values =
    posted?.values.get(id) ??
    emptySettings({ id: suggestId(p.page.name, `page-${id}`), name: p.page.name })
  return html`<fieldset class="card" data-page="${id}">${box}
${settingsFields(values, errors, { prefix: `p${id}_` })}</fieldset>`
}
