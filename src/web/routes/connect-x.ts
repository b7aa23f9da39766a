/**
 * Connect an X account (admins): X's authorize page (OAuth 2.0 with PKCE) → callback → the
 * account's settings if Wardguard does not watch it yet → connectXAccount. The verifier, then
 * the tokens, wait server-side (oauth-pending.ts), never in the page or a cookie.
 */
import { type Context, Hono } from 'hono'
import { html } from 'hono/html'
import { z } from 'zod'
import { connectXAccount, findXAccount, xOAuthClient } from '../../accounts/connect-x.js'
import { exchangeXCode, type XTokens, xAuthorizeLink } from '../../connectors/x/oauth.js'
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
import { csrfField, page } from '../layout.js'
import { createPending, dropPending, newHandle, readPending } from '../oauth-pending.js'
import type { WebDeps, WebEnv } from '../types.js'

const CALLBACK = '/audit/accounts/x/callback'
const SETTINGS = '/audit/accounts/x/settings'

const AuthorizeState = z.object({ redirectUri: z.string(), codeVerifier: z.string().min(1) })
const TokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: z.coerce.date(),
  scopes: z.array(z.string()),
  userId: z.string(),
  username: z.string(),
})

export function connectXRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  const admin = requireUser('admin')

  app.post('/audit/accounts/x/start', admin, requireCsrf(deps), async (c) => {
    const { ob } = needOnboarding(deps)
    const blocked = connectBlocker(ob, 'x')
    if (blocked || !ob.keyring) {
      return flowPage(c, { title: 'Cannot connect yet', status: 400, message: blocked ?? '' })
    }
    const redirectUri = callbackUrl(ob, CALLBACK)
    const link = xAuthorizeLink({ ...xOAuthClient(ob), redirectUri, state: newHandle() })
    await createPending(ob.db, ob.keyring, {
      purpose: 'x-authorize',
      sessionKey: sessionKey(c),
      payload: { redirectUri, codeVerifier: link.codeVerifier },
      now: nowOf(deps),
      handle: link.state,
    })
    return c.redirect(link.url, 303)
  })

  app.get(CALLBACK, admin, async (c) => {
    const { ob } = needOnboarding(deps)
    const q = c.req.query()
    if (!ob.keyring) return cannot(c, deps)
    const started = await readPending(ob.db, ob.keyring, AuthorizeState, {
      handle: q.state ?? '',
      purpose: 'x-authorize',
      sessionKey: sessionKey(c),
      now: nowOf(deps),
      mode: 'take',
    })
    if (q.error) {
      return flowPage(c, {
        title: 'X authorization cancelled',
        message:
          q.error === 'access_denied'
            ? 'You cancelled the authorization at X, so nothing was connected. You can try again at any time.'
            : `X did not authorize Wardguard (${q.error_description ?? q.error}), so nothing was connected.`,
      })
    }
    if (!started.ok) {
      return flowPage(c, {
        title: 'Authorization not accepted',
        status: 400,
        message: PENDING_PROBLEM[started.problem],
      })
    }
    let tokens: XTokens
    try {
      tokens = await exchangeXCode({
        ...xOAuthClient(ob),
        code: q.code ?? '',
        codeVerifier: started.payload.codeVerifier,
        redirectUri: started.payload.redirectUri,
      })
      // already watched (YAML or connected before): only its tokens are new
      if (await findXAccount(ob, tokens.userId)) {
        const result = await connectXAccount(ob, { tokens, by: actorOf(currentUser(c)) })
        return c.redirect(`/audit/accounts?connected=${result.accountId}`, 303)
      }
    } catch (err) {
      return refusedPage(c, 'X', err)
    }
    const flow = await createPending(ob.db, ob.keyring, {
      purpose: 'x-account',
      sessionKey: sessionKey(c),
      payload: tokens,
      now: nowOf(deps),
    })
    return c.redirect(`${SETTINGS}?flow=${encodeURIComponent(flow)}`, 303)
  })

  app.get(SETTINGS, admin, async (c) => {
    const flow = c.req.query('flow') ?? ''
    const tokens = await pendingTokens(c, deps, flow)
    if (tokens instanceof Response) return tokens
    const values = emptySettings({
      id: suggestId(`${tokens.username}-x`, `x-${tokens.userId}`),
      name: `@${tokens.username} on X`,
    })
    return settingsForm(c, flow, tokens, values, {})
  })

  app.post(SETTINGS, admin, requireCsrf(deps), async (c) => {
    const { ob } = needOnboarding(deps)
    const body = await c.req.parseBody()
    const flow = typeof body.flow === 'string' ? body.flow : ''
    const tokens = await pendingTokens(c, deps, flow)
    if (tokens instanceof Response) return tokens
    const values = readSettings(body)
    const settings = settingsOf(values)
    const errors = await checkNewAccount(ob, {
      ...settings,
      platform: 'x',
      userId: tokens.userId,
      handle: tokens.username,
    })
    if (Object.keys(errors).length > 0) return settingsForm(c, flow, tokens, values, errors, 400)
    try {
      const result = await connectXAccount(ob, { tokens, settings, by: actorOf(currentUser(c)) })
      await dropPending(ob.db, flow)
      return c.redirect(`/audit/accounts?connected=${result.accountId}`, 303)
    } catch (err) {
      const p = problemOf(err)
      return settingsForm(c, flow, tokens, values, {}, p.status, `Not connected: ${p.message}`)
    }
  })
  return app
}

async function pendingTokens(
  c: Context<WebEnv>,
  deps: WebDeps,
  flow: string,
): Promise<XTokens | Response> {
  const { ob } = needOnboarding(deps)
  if (!ob.keyring) return cannot(c, deps)
  const pending = await readPending(ob.db, ob.keyring, TokensSchema, {
    handle: flow,
    purpose: 'x-account',
    sessionKey: sessionKey(c),
    now: nowOf(deps),
    mode: 'peek',
  })
  if (!pending.ok) {
    return flowPage(c, {
      title: 'Authorization not accepted',
      status: 400,
      message: PENDING_PROBLEM[pending.problem],
    })
  }
  return pending.payload
}

function settingsForm(
  c: Context<WebEnv>,
  flow: string,
  tokens: XTokens,
  values: SettingsValues,
  errors: FieldErrors,
  status: 200 | 400 | 502 = 200,
  problem?: string,
) {
  const csrf = c.get('session')?.csrfToken ?? ''
  const listed = describeErrors(errors)
  const alert =
    problem || listed.length > 0
      ? html`<div class="error" role="alert"><p>${problem ?? 'Nothing was connected: fix the settings marked below.'}</p>${
          listed.length > 0 ? html`<ul>${listed.map((l) => html`<li>${l}</li>`)}</ul>` : ''
        }</div>`
      : ''
  const body = html`${alert}
<p>X authorized Wardguard for <strong>@${tokens.username}</strong> (user ${tokens.userId}). Wardguard does not watch it yet: give it its settings. Its replies are read by polling.</p>
<form method="post" action="${SETTINGS}" class="stack">${csrfField(csrf)}<input type="hidden" name="flow" value="${flow}">
${settingsFields(values, errors)}
<button>Connect</button></form>
<p><a href="/audit/accounts">Back to Accounts</a></p>`
  return c.html(
    page({ title: 'Connect an X account', user: currentUser(c), csrfToken: csrf, body }),
    status,
  )
}

function cannot(c: Context<WebEnv>, deps: WebDeps) {
  const message = connectBlocker(needOnboarding(deps).ob, 'x') ?? ''
  return flowPage(c, { title: 'Cannot connect', status: 400, message })
}
