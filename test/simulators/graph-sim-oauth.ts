import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import {
  type GraphSimToken,
  LONG_LIVED_SECONDS,
  SHORT_LIVED_SECONDS,
} from './graph-sim-oauth-state.js'
import type { GraphSimState } from './graph-sim-state.js'
import { ANSWERED, type Answered, type ParsedRequest, sendJson } from './sim-http.js'

/**
 * Facebook Login's wire surface on the Graph simulator: the dialog (an HTML page with a
 * "Continue as <name>" button), code and long-lived exchanges, /me/accounts with tasks,
 * subscribed_apps and debug_token. Returns null for any other request, which graph-sim.ts
 * then routes as before.
 */
export function routeGraphOAuth(
  state: GraphSimState,
  req: ParsedRequest,
  res: ServerResponse,
  token: string | null,
): Answered | null {
  const path = req.path.replace(/^\/v\d+\.\d+(?=\/)/, '')
  const q = { ...req.query, ...strings(req.body) }
  if (req.method === 'GET' && path === '/dialog/oauth') return dialog(state, q, res)
  if (req.method === 'POST' && path === '/dialog/oauth/confirm') return confirm(state, q, res)
  if (path === req.path) return null // everything below is versioned
  if (req.method === 'GET' && path === '/oauth/access_token') return exchange(state, q, res)
  if (req.method === 'GET' && path === '/debug_token') return debug(state, q, token, res)
  const user = state.oauth.valid(token)
  if (user?.type === 'USER') return userRoute(state, user, path, req, res)
  const sub = /^\/([^/]+)\/subscribed_apps$/.exec(path)
  if (sub?.[1]) return subscribedApps(state, decodeURIComponent(sub[1]), token, req.method, q, res)
  return null
}

function dialog(state: GraphSimState, q: Record<string, string>, res: ServerResponse): Answered {
  const { app } = state.oauth
  if (q.client_id !== app.id) {
    return html(
      res,
      400,
      'Error',
      `<h1>Invalid App ID</h1><p>The provided app ID does not look like a valid app ID.</p>`,
    )
  }
  const redirect = q.redirect_uri ?? ''
  if (
    !/^https?:\/\//.test(redirect) ||
    (app.redirectUris && !app.redirectUris.includes(redirect))
  ) {
    return html(
      res,
      400,
      'Error',
      `<h1>URL blocked</h1><p>This redirect failed because the redirect URI is not whitelisted in the app’s Client OAuth Settings.</p>`,
    )
  }
  const user = state.oauth.currentUser()
  if (!user)
    return html(res, 400, 'Error', '<h1>Nobody is signed in to the simulated Facebook</h1>')
  if (state.oauth.autoApprove || q.auto === '1') return approve(state, q, user.id, res)
  const hidden = ['client_id', 'redirect_uri', 'state', 'scope']
    .map((k) => `<input type="hidden" name="${k}" value="${esc(q[k] ?? '')}">`)
    .join('')
  const scopes = (q.scope ?? '').split(/[\s,]+/).filter(Boolean)
  return html(
    res,
    200,
    `Log in with Facebook | ${esc(app.name)}`,
    `<h1>${esc(app.name)} is requesting access</h1>
<p>${esc(app.name)} will receive: ${scopes.map(esc).join(', ') || 'your public profile'}</p>
<form method="post" action="/dialog/oauth/confirm">${hidden}
<button type="submit" name="decision" value="allow">Continue as ${esc(user.name)}</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</form>`,
  )
}

function confirm(state: GraphSimState, q: Record<string, string>, res: ServerResponse): Answered {
  const user = state.oauth.currentUser()
  if (q.client_id !== state.oauth.app.id || !q.redirect_uri || !user) {
    return html(res, 400, 'Error', '<h1>Something went wrong</h1>')
  }
  if (q.decision === 'cancel') {
    return redirect(res, q.redirect_uri, {
      error: 'access_denied',
      error_code: '200',
      error_description: 'Permissions error',
      error_reason: 'user_denied',
      ...(q.state ? { state: q.state } : {}),
    })
  }
  return approve(state, q, user.id, res)
}

function approve(
  state: GraphSimState,
  q: Record<string, string>,
  userId: string,
  res: ServerResponse,
): Answered {
  const declined = state.oauth.declinedScopes
  const code = state.oauth.issueCode({
    appId: state.oauth.app.id,
    redirectUri: q.redirect_uri ?? '',
    userId,
    scopes: (q.scope ?? '').split(/[\s,]+/).filter((s) => s && !declined.has(s)),
  })
  return redirect(res, q.redirect_uri ?? '', { code, ...(q.state ? { state: q.state } : {}) })
}

function exchange(state: GraphSimState, q: Record<string, string>, res: ServerResponse): Answered {
  const { app } = state.oauth
  if (q.client_id !== app.id) {
    return graphError(res, 400, 101, 'Error validating application. Invalid application ID.')
  }
  if (q.client_secret !== app.secret) {
    return graphError(res, 400, 1, 'Error validating client secret.')
  }
  if (q.grant_type === 'fb_exchange_token') {
    const short = state.oauth.valid(q.fb_exchange_token ?? null)
    if (short?.type !== 'USER' || short.appId !== app.id) {
      const problem = q.fb_exchange_token ? state.oauth.problem(q.fb_exchange_token) : null
      return graphError(
        res,
        400,
        190,
        problem?.message ?? 'Invalid OAuth access token.',
        problem?.subcode,
      )
    }
    return sendUserToken(res, state, app.id, short, true)
  }
  const code = q.code ? state.oauth.codes.get(q.code) : undefined
  if (!code) return graphError(res, 400, 100, 'Invalid verification code format.')
  if (code.used) return graphError(res, 400, 100, 'This authorization code has been used.', 36009)
  if (code.expiresAt <= Math.floor(Date.now() / 1000)) {
    return graphError(res, 400, 100, 'This authorization code has expired.', 36007)
  }
  if (code.redirectUri !== q.redirect_uri) {
    return graphError(
      res,
      400,
      100,
      'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
      36008,
    )
  }
  code.used = true
  return sendUserToken(res, state, app.id, code, false)
}

/** Mints a user token (short-lived after a code, long-lived after an exchange) and answers with it. */
function sendUserToken(
  res: ServerResponse,
  state: GraphSimState,
  appId: string,
  grant: { userId: string; scopes: string[] },
  longLived: boolean,
) {
  const seconds = longLived ? LONG_LIVED_SECONDS : SHORT_LIVED_SECONDS
  const user = state.oauth.mint({
    type: 'USER',
    appId,
    userId: grant.userId,
    scopes: grant.scopes,
    expiresAt: Math.floor(Date.now() / 1000) + seconds,
    longLived,
  })
  return sendJson(res, 200, { access_token: user.token, token_type: 'bearer', expires_in: seconds })
}

function debug(
  state: GraphSimState,
  q: Record<string, string>,
  token: string | null,
  res: ServerResponse,
): Answered {
  const { app } = state.oauth
  if (token !== `${app.id}|${app.secret}`) {
    return graphError(res, 400, 190, 'Invalid OAuth access token signature.')
  }
  const input = q.input_token ?? ''
  const legacy = [...state.pages.values()].find((p) => p.token === input)
  const t =
    state.oauth.tokens.get(input) ?? (legacy ? state.oauth.adopt(input, legacy.id) : undefined)
  if (!t) {
    return sendJson(res, 200, {
      data: {
        error: { code: 190, message: 'Invalid OAuth access token.' },
        is_valid: false,
        scopes: [],
      },
    })
  }
  const problem = state.oauth.problem(input)
  return sendJson(res, 200, {
    data: {
      app_id: t.appId,
      type: t.type,
      application: app.name,
      data_access_expires_at: t.dataAccessExpiresAt,
      expires_at: t.expiresAt,
      is_valid: !problem,
      issued_at: t.issuedAt,
      scopes: t.scopes,
      user_id: t.userId,
      ...(t.pageId ? { profile_id: t.pageId } : {}),
      ...(problem
        ? {
            error: {
              code: problem.code,
              message: problem.message,
              ...(problem.subcode ? { subcode: problem.subcode } : {}),
            },
          }
        : {}),
    },
  })
}

function userRoute(
  state: GraphSimState,
  token: GraphSimToken,
  path: string,
  req: ParsedRequest,
  res: ServerResponse,
): Answered {
  const user = state.oauth.users.get(token.userId)
  if (!user) return graphError(res, 400, 190, 'Invalid OAuth access token.')
  if (req.method !== 'GET') return graphError(res, 400, 100, '(#100) Unsupported request')
  if (path === '/me') return sendJson(res, 200, { id: user.id, name: user.name })
  if (path === '/me/permissions') {
    return sendJson(res, 200, {
      data: token.scopes.map((permission) => ({ permission, status: 'granted' })),
    })
  }
  if (path !== '/me/accounts' && path !== `/${user.id}/accounts`) {
    return graphError(res, 400, 2500, 'Unknown path components')
  }
  const size = state.oauth.accountsPageSize
  const offset = req.query.after ? Number(Buffer.from(req.query.after, 'base64url').toString()) : 0
  const slice = user.pages.slice(offset, offset + size)
  const cursor = (n: number) => Buffer.from(String(n)).toString('base64url')
  const more = offset + size < user.pages.length
  const next = new URLSearchParams({ ...req.query, after: cursor(offset + size) })
  return sendJson(res, 200, {
    data: slice.map((p) => ({
      access_token: state.oauth.pageToken(token, p.id).token,
      category: 'Politician',
      name: p.name,
      id: p.id,
      tasks: p.tasks,
    })),
    paging: {
      cursors: { before: cursor(offset), after: cursor(offset + size) },
      ...(more ? { next: `http://${req.headers.host}${req.path}?${next}` } : {}),
    },
  })
}

function subscribedApps(
  state: GraphSimState,
  pageId: string,
  token: string | null,
  method: string,
  q: Record<string, string>,
  res: ServerResponse,
): Answered | null {
  const page = state.pageForToken(token)
  if (!page) return null // graph-sim.ts answers 190
  if (page.id !== pageId) return graphError(res, 403, 200, '(#200) Permissions error')
  const minted = token ? state.oauth.tokens.get(token) : undefined
  const appId = minted?.appId ?? state.oauth.app.id
  if (minted && minted.scopes.length > 0 && !minted.scopes.includes('pages_manage_metadata')) {
    return graphError(
      res,
      403,
      200,
      '(#200) Requires pages_manage_metadata permission to manage the object',
    )
  }
  if (method === 'GET') {
    const apps = state.oauth.subscriptions.get(pageId) ?? new Map<string, string[]>()
    return sendJson(res, 200, {
      data: [...apps].map(([id, fields]) => ({
        id,
        name: state.oauth.app.name,
        subscribed_fields: fields,
      })),
    })
  }
  if (method === 'POST') {
    const fields = (q.subscribed_fields ?? '').split(',').filter(Boolean)
    if (fields.length === 0) {
      return graphError(res, 400, 100, '(#100) The parameter subscribed_fields is required')
    }
    state.oauth.setSubscription(pageId, appId, fields)
    return sendJson(res, 200, { success: true })
  }
  if (method === 'DELETE') {
    state.oauth.setSubscription(pageId, appId, null)
    return sendJson(res, 200, { success: true })
  }
  return graphError(res, 400, 100, '(#100) Unsupported request')
}

function graphError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  subcode?: number,
): Answered {
  return sendJson(res, status, {
    error: {
      message,
      type: 'OAuthException',
      code,
      ...(subcode === undefined ? {} : { error_subcode: subcode }),
      fbtrace_id: randomBytes(8).toString('base64url'),
    },
  })
}

function redirect(res: ServerResponse, to: string, params: Record<string, string>): Answered {
  const url = new URL(to)
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  res.writeHead(302, { location: url.toString() })
  res.end()
  return ANSWERED
}

export function html(res: ServerResponse, status: number, title: string, body: string): Answered {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`,
  )
  return ANSWERED
}

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function strings(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'),
  )
}
