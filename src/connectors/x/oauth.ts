import {
  ApiResponseError,
  type IParsedOAuth2TokenResult,
  type ITwitterApiClientPlugin,
  TwitterApi,
} from 'twitter-api-v2'
import { PlatformError } from '../../errors.js'
import { toXPlatformError } from './api-errors.js'
import { DEFAULT_API_URL, xTransportSettings } from './client.js'

/**
 * X OAuth 2.0 user context (authorization code with PKCE, refresh tokens) on twitter-api-v2,
 * pointed at X_API_URL with client.ts's transport settings. Pure platform calls: no store.
 */

/** The scopes Wardguard asks for, and why (the README's guide quotes these). */
export const X_SCOPES = {
  'tweet.read': 'reads the replies and mentions addressed to the account',
  'users.read': 'reads who wrote them, and which account was connected',
  'tweet.write': 'posts a reply as the account when a moderator explains a decision',
  'tweet.moderate.write': 'hides and unhides replies in the account’s own conversations',
  'mute.write': 'mutes an author on a moderator’s say',
  'block.write':
    'blocks an author on a moderator’s say (X allows this on the Enterprise tier only)',
  'offline.access': 'keeps the connection alive: X access tokens last two hours and are refreshed',
} as const

export type XScope = keyof typeof X_SCOPES
export const X_SCOPE_LIST = Object.keys(X_SCOPES) as XScope[]

export type XOAuthClient = {
  /** default https://api.x.com (X_API_URL) */
  apiUrl?: string
  /** default https://x.com/i/oauth2/authorize (X_AUTHORIZE_URL) */
  authorizeUrl?: string
  clientId: string
  /** only for confidential clients (X_CLIENT_SECRET); public clients rely on PKCE alone */
  clientSecret?: string
  timeoutMs?: number
}

export type XAuthorizeLink = { url: string; state: string; codeVerifier: string }

export type XTokens = {
  accessToken: string
  refreshToken: string
  expiresAt: Date
  scopes: string[]
  userId: string
  username: string
}

const DEFAULT_AUTHORIZE_URL = 'https://x.com/i/oauth2/authorize'

/** The authorize URL (PKCE S256) and the state and verifier to keep until the callback. */
export function xAuthorizeLink(
  o: XOAuthClient & { redirectUri: string; state?: string; scopes?: readonly string[] },
): XAuthorizeLink {
  const link = requestClient(o).generateOAuth2AuthLink(o.redirectUri, {
    scope: [...(o.scopes ?? X_SCOPE_LIST)],
    ...(o.state ? { state: o.state } : {}),
  })
  // @NOTE the library hard-codes x.com's authorize page; keep its query, move it onto ours
  const url = new URL(o.authorizeUrl ?? DEFAULT_AUTHORIZE_URL)
  url.search = new URL(link.url).search
  return { url: url.toString(), state: link.state, codeVerifier: link.codeVerifier }
}

/** The callback's code (with the verifier kept from xAuthorizeLink) → tokens and the account. */
export async function exchangeXCode(
  o: XOAuthClient & { code: string; codeVerifier: string; redirectUri: string },
): Promise<XTokens> {
  const what = 'exchange of the X authorization code'
  const result = await oauthCall(what, 'code', () =>
    requestClient(o).loginWithOAuth2({
      code: o.code,
      codeVerifier: o.codeVerifier,
      redirectUri: o.redirectUri,
    }),
  )
  return withUser(o, result, what)
}

/**
 * A refresh token → a new pair. @NOTE X rotates refresh tokens: the old one is refused after
 * this, so the new one must be stored before anything else can fail.
 */
export async function refreshXToken(o: XOAuthClient & { refreshToken: string }): Promise<XTokens> {
  const what = 'refresh of the X access token'
  const result = await oauthCall(what, 'refresh', () =>
    requestClient(o).refreshOAuth2Token(o.refreshToken),
  )
  return withUser(o, result, what)
}

/** Revokes an access or refresh token (when an account is removed). */
export async function revokeXToken(
  o: XOAuthClient & { token: string; kind: 'access' | 'refresh' },
): Promise<void> {
  await oauthCall('revocation of an X token', 'revoke', () =>
    requestClient(o).revokeOAuth2Token(
      o.token,
      o.kind === 'access' ? 'access_token' : 'refresh_token',
    ),
  )
}

/**
 * @NOTE twitter-api-v2 means to send the token endpoints form-encoded, as X documents, but its
 * check reads `url.password` instead of the path, so it sends JSON; this forces the form.
 */
const formEncodedTokenCalls: ITwitterApiClientPlugin = {
  onBeforeRequestConfig({ params }) {
    if (/\/2\/oauth2\//.test(params.url)) params.forceBodyMode = 'url'
  },
}

function requestClient(o: XOAuthClient): TwitterApi {
  return new TwitterApi(
    { clientId: o.clientId, ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}) },
    xTransportSettings(o.apiUrl ?? DEFAULT_API_URL, o.timeoutMs ?? 15_000, [formEncodedTokenCalls]),
  )
}

async function withUser(
  o: XOAuthClient,
  result: IParsedOAuth2TokenResult,
  what: string,
): Promise<XTokens> {
  if (!result.refreshToken) {
    // without offline.access the account would stop working in two hours
    await revokeXToken({ ...o, token: result.accessToken, kind: 'access' }).catch(() => undefined)
    throw new PlatformError(
      'platform_forbidden',
      `X did not grant offline access during the ${what}: approve every permission Wardguard asks for`,
      { platform: 'x', retryable: false },
    )
  }
  // the user the token belongs to: the connection is named after it
  const me = await oauthCall(`${what} (reading the account)`, 'me', () => result.client.v2.me())
  return {
    accessToken: result.accessToken,
    refreshToken: result.refreshToken,
    expiresAt: new Date(Date.now() + result.expiresIn * 1000),
    scopes: result.scope,
    userId: me.data.id,
    username: me.data.username,
  }
}

type CallKind = 'code' | 'refresh' | 'revoke' | 'me'

/**
 * X answers its token endpoints in OAuth 2.0's shape (`{error, error_description}`), which
 * api-errors.ts does not read: those are mapped here, the rest there. A refused refresh token
 * means the account must be connected again; a refused client means X_CLIENT_ID/SECRET are wrong.
 */
async function oauthCall<T>(what: string, kind: CallKind, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof ApiResponseError && isOAuthError(err.data) && err.code < 500) {
      const said = `${err.data.error_description ?? err.data.error} (${err.data.error})`.slice(
        0,
        300,
      )
      const status = err.code
      const base = { platform: 'x' as const, status, retryable: false, cause: { status } }
      if (
        status === 401 ||
        err.data.error === 'unauthorized_client' ||
        err.data.error === 'invalid_client'
      ) {
        throw new PlatformError(
          'platform_rejected',
          `X refused the ${what}: ${said}. Check X_CLIENT_ID and X_CLIENT_SECRET`,
          base,
        )
      }
      if (kind === 'refresh') {
        throw new PlatformError(
          'platform_token_invalid',
          `X refused the ${what}: ${said}. The refresh token is no longer valid: reconnect the X account`,
          base,
        )
      }
      throw new PlatformError('platform_rejected', `X refused the ${what}: ${said}`, base)
    }
    if (
      !(err instanceof ApiResponseError) &&
      err instanceof Error &&
      /client ID/.test(err.message)
    ) {
      throw new PlatformError(
        'platform_rejected',
        `Cannot start the ${what}: X_CLIENT_ID is not set`,
        {
          platform: 'x',
          retryable: false,
        },
      )
    }
    throw toXPlatformError(err, what)
  }
}

function isOAuthError(data: unknown): data is { error: string; error_description?: string } {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { error?: unknown }).error === 'string'
  )
}
