import type { ServerResponse } from 'node:http'
import { esc, html } from './graph-sim-oauth.js'
import { ANSWERED, type Answered, type ParsedRequest, sendJson } from './sim-http.js'
import { X_ACCESS_SECONDS, type XSimClient } from './x-sim-oauth-state.js'
import type { XSimState } from './x-sim-state.js'

/**
 * X's OAuth 2.0 wire surface on the X simulator: the authorize page (an "Authorize app"
 * button), the token endpoint (authorization_code with PKCE, refresh_token with rotation) and
 * revoke. Returns null for any other request.
 */
export function routeXOAuth(
  state: XSimState,
  req: ParsedRequest,
  res: ServerResponse,
): Answered | null {
  const q = { ...req.query, ...strings(req.body) }
  if (req.method === 'GET' && req.path === '/i/oauth2/authorize') return authorize(state, q, res)
  if (req.method === 'POST' && req.path === '/i/oauth2/authorize/confirm') {
    return confirm(state, q, res)
  }
  if (req.method === 'POST' && req.path === '/2/oauth2/token') return token(state, req, q, res)
  if (req.method === 'POST' && req.path === '/2/oauth2/revoke') return revoke(state, req, q, res)
  return null
}

const PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'code_challenge',
  'code_challenge_method',
  'scope',
]

function problemWith(state: XSimState, q: Record<string, string>): string | null {
  const client = state.oauth.clients.get(q.client_id ?? '')
  if (!client) return 'the app is not known (client_id)'
  const redirect = q.redirect_uri ?? ''
  if (!/^https?:\/\//.test(redirect)) return 'redirect_uri is missing'
  if (client.redirectUris && !client.redirectUris.includes(redirect)) {
    return 'redirect_uri does not match the app’s callback URLs'
  }
  if (q.response_type !== 'code') return 'response_type must be code'
  if (!q.code_challenge) return 'code_challenge is missing'
  if (!/^(s256|plain)$/i.test(q.code_challenge_method ?? '')) {
    return 'code_challenge_method must be S256 or plain'
  }
  if (!state.oauth.signedIn || !state.users.has(state.oauth.signedIn)) {
    return 'nobody is signed in to the simulated X'
  }
  return null
}

function authorize(state: XSimState, q: Record<string, string>, res: ServerResponse): Answered {
  const problem = problemWith(state, q)
  if (problem) {
    return html(
      res,
      400,
      'X / Error',
      `<h1>Something went wrong</h1><p>You weren’t able to give access to the App: ${esc(problem)}.</p>`,
    )
  }
  if (state.oauth.autoApprove) return approve(state, q, res)
  const user = state.users.get(state.oauth.signedIn ?? '')!
  const hidden = PARAMS.map(
    (k) => `<input type="hidden" name="${k}" value="${esc(q[k] ?? '')}">`,
  ).join('')
  const scopes = (q.scope ?? '').split(' ').filter(Boolean)
  return html(
    res,
    200,
    'X / Authorize an app',
    `<h1>An app wants to access your X account</h1>
<p>Signed in as @${esc(user.username)}. It will be able to: ${scopes.map(esc).join(', ')}</p>
<form method="post" action="/i/oauth2/authorize/confirm">${hidden}
<button type="submit" name="decision" value="allow">Authorize app</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</form>`,
  )
}

function confirm(state: XSimState, q: Record<string, string>, res: ServerResponse): Answered {
  const problem = problemWith(state, q)
  if (problem) return html(res, 400, 'X / Error', `<h1>Something went wrong</h1>`)
  if (q.decision === 'cancel') {
    return redirect(res, q.redirect_uri ?? '', {
      error: 'access_denied',
      ...(q.state ? { state: q.state } : {}),
    })
  }
  return approve(state, q, res)
}

function approve(state: XSimState, q: Record<string, string>, res: ServerResponse): Answered {
  const code = state.oauth.issueCode({
    clientId: q.client_id ?? '',
    redirectUri: q.redirect_uri ?? '',
    userId: state.oauth.signedIn ?? '',
    scopes: (q.scope ?? '').split(' ').filter(Boolean),
    challenge: q.code_challenge ?? '',
    method: /^s256$/i.test(q.code_challenge_method ?? '') ? 'S256' : 'plain',
  })
  return redirect(res, q.redirect_uri ?? '', { state: q.state ?? '', code })
}

/**
 * Client authentication: confidential clients with HTTP Basic (id:secret), public clients by
 * client_id in the body.
 */
function authClient(
  state: XSimState,
  req: ParsedRequest,
  q: Record<string, string>,
): XSimClient | null {
  const basic = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1]
  const [id, secret] = basic
    ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent)
    : [q.client_id, undefined]
  const client = state.oauth.clients.get(id ?? '')
  if (!client) return null
  if (client.secret !== undefined && client.secret !== secret) return null
  return client
}

function token(
  state: XSimState,
  req: ParsedRequest,
  q: Record<string, string>,
  res: ServerResponse,
): Answered {
  const client = authClient(state, req, q)
  if (!client)
    return oauthError(res, 401, 'unauthorized_client', 'Missing valid authorization header')
  const { oauth } = state
  let grant: { userId: string; scopes: string[] }
  if (q.grant_type === 'authorization_code') {
    const code = oauth.codes.get(q.code ?? '')
    const fine =
      code &&
      !code.used &&
      code.expiresAt > Date.now() &&
      code.clientId === client.id &&
      code.redirectUri === q.redirect_uri
    if (!code || !fine) {
      return oauthError(
        res,
        400,
        'invalid_request',
        'Value passed for the authorization code was invalid.',
      )
    }
    if (!oauth.pkceOk(code, q.code_verifier ?? '')) {
      return oauthError(
        res,
        400,
        'invalid_request',
        'Value passed for the code_verifier was invalid.',
      )
    }
    code.used = true
    grant = code
  } else if (q.grant_type === 'refresh_token') {
    const old = oauth.refresh.get(q.refresh_token ?? '')
    if (!old || old.used || old.clientId !== client.id) {
      return oauthError(res, 400, 'invalid_request', 'Value passed for the token was invalid.')
    }
    // rotation: the refresh token is good for one use
    old.used = true
    oauth.refreshCount++
    grant = old
  } else {
    return oauthError(res, 400, 'invalid_request', 'Value passed for the grant_type was invalid.')
  }
  const pair = oauth.mintPair(client.id, grant.userId, grant.scopes)
  return sendJson(res, 200, {
    token_type: 'bearer',
    expires_in: X_ACCESS_SECONDS,
    access_token: pair.access.token,
    scope: grant.scopes.join(' '),
    ...(pair.refresh ? { refresh_token: pair.refresh.token } : {}),
  })
}

function revoke(
  state: XSimState,
  req: ParsedRequest,
  q: Record<string, string>,
  res: ServerResponse,
): Answered {
  const client = authClient(state, req, q)
  if (!client)
    return oauthError(res, 401, 'unauthorized_client', 'Missing valid authorization header')
  const known = state.oauth.access.get(q.token ?? '') ?? state.oauth.refresh.get(q.token ?? '')
  if (known && known.clientId === client.id) state.oauth.invalidate(known.token)
  return sendJson(res, 200, { revoked: true })
}

function oauthError(
  res: ServerResponse,
  status: number,
  error: string,
  description: string,
): Answered {
  return sendJson(res, status, { error, error_description: description })
}

function redirect(res: ServerResponse, to: string, params: Record<string, string>): Answered {
  const url = new URL(to)
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  res.writeHead(302, { location: url.toString() })
  res.end()
  return ANSWERED
}

function strings(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'),
  )
}
