import { FacebookAdsApi } from 'facebook-nodejs-business-sdk'
import { z } from 'zod'
import { PlatformError } from '../../errors.js'
import { toGraphPlatformError } from './graph-errors.js'

/**
 * Facebook Login for Pages: the dialog URL, the code and long-lived exchanges, the Pages a
 * person can moderate, webhook subscription and debug_token. Pure platform calls: no store, no
 * web. @NOTE these go through the SDK's `FacebookAdsApi.call` with a complete URL string (as
 * client.ts does) rather than fetch: its errors are what graph-errors.ts already maps, with the
 * status, code and subcode parsed, and a string URL makes the SDK send exactly the query we
 * build (it appends no token of its own). The SDK has no timeout, so one is raced here.
 */

/**
 * The permissions Wardguard asks for, and why (the README's app-review guide quotes these).
 * business_management is not requested: it is only for system users, which cannot subscribe a
 * Page's webhooks anyway.
 */
export const FACEBOOK_SCOPES = {
  /** to list the Pages the person manages (GET /me/accounts) so they can choose which to connect */
  pages_show_list: 'lists the Pages you manage, so you can choose which ones Wardguard moderates',
  /**
   * to subscribe the app to the Page's `feed` webhook (POST /{page}/subscribed_apps); the
   * Page `blocked` edge (banning a person from the Page) also accepts it, so bans need no extra
   * permission (Graph reference: page/blocked, error 283)
   */
  pages_manage_metadata:
    'subscribes Wardguard to new comments on the Page (webhooks) and lets it ban a person from the Page when a moderator decides to',
  /** to read the Page's posts and comments' metadata; Graph requires it for hide/unhide too */
  pages_read_engagement: 'reads the Page’s posts and the comments on them',
  /** to read comments written by other people (not just the Page's own), which is what we moderate */
  pages_read_user_content:
    'reads comments that residents leave on the Page, so they can be checked',
  /** to hide, unhide and delete comments and to reply as the Page */
  pages_manage_engagement:
    'hides, unhides and deletes comments, and posts a reply as the Page when a moderator explains a decision',
} as const

export type FacebookScope = keyof typeof FACEBOOK_SCOPES

export const FACEBOOK_SCOPE_LIST = Object.keys(FACEBOOK_SCOPES) as FacebookScope[]

export type GraphTarget = {
  /** default https://graph.facebook.com (FACEBOOK_GRAPH_URL) */
  graphUrl?: string
  /** default v24.0, the version the SDK pins */
  apiVersion?: string
  /** default 15 s; a slower answer fails as platform_unavailable (retryable) */
  timeoutMs?: number
}

export type AppCredentials = { appId: string; appSecret: string }

/** A Facebook user access token and when it expires (null: Graph did not say, or never). */
export type FacebookUserToken = { token: string; expiresAt: Date | null }

export type ModeratablePage = { id: string; name: string; pageToken: string; tasks: string[] }

export type TokenDebug = {
  valid: boolean
  /** null when the token never expires (Page tokens from a long-lived user token) */
  expiresAt: Date | null
  /** after this the token can no longer read user data, even if it has not expired */
  dataAccessExpiresAt: Date | null
  scopes: string[]
  type: string | null
  /** why it is not usable: Graph's own words and code, never the token */
  problem?: string
}

/** The Facebook Login dialog URL the person is sent to. */
export function facebookDialogUrl(o: {
  /** default https://www.facebook.com (FACEBOOK_DIALOG_URL) */
  dialogUrl?: string
  apiVersion?: string
  appId: string
  redirectUri: string
  state: string
  scopes?: readonly string[]
}): string {
  const base = (o.dialogUrl ?? 'https://www.facebook.com').replace(/\/+$/, '')
  const query = new URLSearchParams({
    client_id: o.appId,
    redirect_uri: o.redirectUri,
    state: o.state,
    response_type: 'code',
    scope: (o.scopes ?? FACEBOOK_SCOPE_LIST).join(','),
  })
  return `${base}/${o.apiVersion ?? DEFAULT_VERSION}/dialog/oauth?${query}`
}

const TokenAnswer = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().optional(),
})

/** The dialog's `code` → a short-lived user token (about an hour or two). */
export async function exchangeCode(
  o: GraphTarget & AppCredentials & { redirectUri: string; code: string },
): Promise<FacebookUserToken> {
  const what = 'exchange of the Facebook authorization code'
  const res = await graphCall(o, 'GET', ['oauth', 'access_token'], {
    query: {
      client_id: o.appId,
      redirect_uri: o.redirectUri,
      client_secret: o.appSecret,
      code: o.code,
    },
    what,
    secrets: [o.appSecret, o.code],
    tokenKind: 'app',
  })
  return toUserToken(parse(TokenAnswer, res, what))
}

/** A short-lived user token → a long-lived one (about 60 days). */
export async function exchangeLongLived(
  o: GraphTarget & AppCredentials & { userToken: string },
): Promise<FacebookUserToken> {
  const what = 'exchange for a long-lived Facebook user token'
  const res = await graphCall(o, 'GET', ['oauth', 'access_token'], {
    query: {
      grant_type: 'fb_exchange_token',
      client_id: o.appId,
      client_secret: o.appSecret,
      fb_exchange_token: o.userToken,
    },
    what,
    secrets: [o.userToken, o.appSecret],
    tokenKind: 'user',
  })
  return toUserToken(parse(TokenAnswer, res, what))
}

const AccountsAnswer = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      name: z.string().default(''),
      access_token: z.string().optional(),
      tasks: z.array(z.string()).default([]),
    }),
  ),
  paging: z
    .object({
      cursors: z.object({ after: z.string().optional() }).optional(),
      next: z.string().optional(),
    })
    .optional(),
})

/** At most this many pages of results are followed: a guard against a cursor that loops. */
const MAX_ACCOUNT_PAGES = 50

/**
 * The Pages the person can moderate (task MODERATE), each with its Page token. @NOTE a Page
 * token fetched with a long-lived user token does not expire; with a short-lived one it does,
 * so exchange first. Paging follows `cursors.after` on our own base URL rather than
 * `paging.next`, which names graph.facebook.com even when we go through a proxy.
 */
export async function listModeratablePages(
  o: GraphTarget & { userToken: string },
): Promise<ModeratablePage[]> {
  const what = 'listing of the Pages you manage'
  const pages: ModeratablePage[] = []
  let after: string | undefined
  for (let i = 0; i < MAX_ACCOUNT_PAGES; i++) {
    const res = await graphCall(o, 'GET', ['me', 'accounts'], {
      query: {
        fields: 'id,name,access_token,tasks',
        access_token: o.userToken,
        ...(after ? { after } : {}),
      },
      what,
      secrets: [o.userToken],
      tokenKind: 'user',
    })
    const answer = parse(AccountsAnswer, res, what)
    for (const p of answer.data) {
      if (!p.tasks.includes('MODERATE') || !p.access_token) continue
      pages.push({ id: p.id, name: p.name, pageToken: p.access_token, tasks: p.tasks })
    }
    after = answer.paging?.cursors?.after
    if (!answer.paging?.next || !after) break
  }
  return pages
}

const SuccessAnswer = z.object({ success: z.literal(true) })

/** Subscribes the app to the Page's webhooks (by default `feed`: new and edited comments). */
export async function subscribePage(
  o: GraphTarget & { pageId: string; pageToken: string; fields?: readonly string[] },
): Promise<void> {
  const what = `webhook subscription of Page ${o.pageId}`
  const res = await graphCall(o, 'POST', [o.pageId, 'subscribed_apps'], {
    query: { subscribed_fields: (o.fields ?? ['feed']).join(','), access_token: o.pageToken },
    what,
    secrets: [o.pageToken],
    tokenKind: 'page',
  })
  parse(SuccessAnswer, res, what)
}

/** Removes the app's webhook subscription from the Page (when an account is removed). */
export async function unsubscribePage(
  o: GraphTarget & { pageId: string; pageToken: string },
): Promise<void> {
  const what = `webhook unsubscription of Page ${o.pageId}`
  const res = await graphCall(o, 'DELETE', [o.pageId, 'subscribed_apps'], {
    query: { access_token: o.pageToken },
    what,
    secrets: [o.pageToken],
    tokenKind: 'page',
  })
  parse(SuccessAnswer, res, what)
}

const DebugAnswer = z.object({
  data: z.object({
    app_id: z.string().optional(),
    type: z.string().optional(),
    is_valid: z.boolean(),
    expires_at: z.number().optional(),
    data_access_expires_at: z.number().optional(),
    scopes: z.array(z.string()).default([]),
    error: z
      .object({
        code: z.number().optional(),
        subcode: z.number().optional(),
        message: z.string().optional(),
      })
      .optional(),
  }),
})

/**
 * Asks Graph about a token (the daily token check). An invalid token is an answer, not an
 * error: `valid: false` with Graph's reason. A token issued to another app is reported invalid
 * too, since Wardguard could not use it.
 */
export async function debugToken(
  o: GraphTarget & AppCredentials & { token: string },
): Promise<TokenDebug> {
  const what = 'token check (debug_token)'
  const res = await graphCall(o, 'GET', ['debug_token'], {
    query: { input_token: o.token, access_token: `${o.appId}|${o.appSecret}` },
    what,
    secrets: [o.token, o.appSecret],
    tokenKind: 'app',
  })
  const d = parse(DebugAnswer, res, what).data
  const otherApp = d.app_id !== undefined && d.app_id !== o.appId
  const problem = otherApp
    ? `the token was issued to another app (${d.app_id}), not ${o.appId}`
    : d.error
      ? scrubAll(
          `${d.error.message ?? 'invalid token'}${d.error.code === undefined ? '' : ` (code ${d.error.code}${d.error.subcode === undefined ? '' : `/${d.error.subcode}`})`}`,
          [o.token, o.appSecret],
        )
      : d.is_valid
        ? undefined
        : 'Graph says the token is not valid'
  return {
    valid: d.is_valid && !otherApp,
    expiresAt: unixOrNull(d.expires_at),
    dataAccessExpiresAt: unixOrNull(d.data_access_expires_at),
    scopes: d.scopes,
    type: d.type ?? null,
    ...(problem ? { problem } : {}),
  }
}

const DEFAULT_VERSION = 'v24.0'
const DEFAULT_GRAPH = 'https://graph.facebook.com'

type TokenKind = 'app' | 'user' | 'page'

const TOKEN_ADVICE: Record<TokenKind, string> = {
  app: 'check FACEBOOK_APP_ID and FACEBOOK_APP_SECRET, and start the Facebook sign-in again',
  user: 'the Facebook sign-in has expired or was revoked: sign in with Facebook again',
  page: 'the Page access token is invalid or expired: reconnect the Page',
}

async function graphCall(
  o: GraphTarget,
  method: 'GET' | 'POST' | 'DELETE',
  segments: string[],
  call: { query: Record<string, string>; what: string; secrets: string[]; tokenKind: TokenKind },
): Promise<unknown> {
  const base = (o.graphUrl ?? DEFAULT_GRAPH).replace(/\/+$/, '')
  const path = segments.map(encodeURIComponent).join('/')
  const url = `${base}/${o.apiVersion ?? DEFAULT_VERSION}/${path}?${new URLSearchParams(call.query)}`
  const timeoutMs = o.timeoutMs ?? 15_000
  // @NOTE the SDK insists on a token at construction but sends none for a string URL: the real
  // credentials are in `url`. crash_log false keeps its uncaughtException hook off.
  const api = new FacebookAdsApi('unused-token-credentials-are-in-the-url', 'en_US', false)
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GraphTimeout()), timeoutMs)
  })
  try {
    return await Promise.race([api.call(method, url, {}), timeout])
  } catch (err) {
    if (err instanceof GraphTimeout) {
      throw new PlatformError(
        'platform_unavailable',
        `Graph API did not answer the ${call.what} within ${timeoutMs} ms`,
        { platform: 'facebook', retryable: true },
      )
    }
    throw oauthError(err, call)
  } finally {
    clearTimeout(timer)
  }
}

/**
 * graph-errors.ts's mapping, with the advice fitted to the kind of token and every secret of
 * the call scrubbed (it scrubs one). @NOTE Graph answers a wrong client secret with code 1,
 * which elsewhere means "temporary, retry"; here a retry cannot help.
 */
function oauthError(
  err: unknown,
  call: { what: string; secrets: string[]; tokenKind: TokenKind },
): PlatformError {
  const mapped = toGraphPlatformError(err, call.what, call.secrets[0] ?? '')
  let code = mapped.code
  let retryable = mapped.retryable
  let message = mapped.message.replace(
    /\. The Page access token is invalid or expired: reconnect the Page$/,
    '',
  )
  if (code === 'platform_token_invalid') {
    message = `${message}. ${TOKEN_ADVICE[call.tokenKind]}`
    // a refused app token is a configuration problem, not a connected account's token dying
    if (call.tokenKind === 'app') code = 'platform_rejected'
  }
  if (
    mapped.status !== null &&
    mapped.status < 500 &&
    mapped.platformCode === 1 &&
    /client secret|application/i.test(message)
  ) {
    code = 'platform_rejected'
    retryable = false
    message = `${message}. ${TOKEN_ADVICE.app}`
  }
  return new PlatformError(code, scrubAll(message, call.secrets), {
    platform: 'facebook',
    status: mapped.status,
    platformCode: mapped.platformCode,
    retryAfterMs: mapped.retryAfterMs,
    retryable,
    cause: mapped.cause,
  })
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  throw new PlatformError(
    'platform_rejected',
    `Graph API gave an unexpected answer to the ${what}`,
    {
      platform: 'facebook',
      retryable: false,
    },
  )
}

function toUserToken(answer: z.infer<typeof TokenAnswer>): FacebookUserToken {
  const seconds = answer.expires_in
  return {
    token: answer.access_token,
    expiresAt: seconds && seconds > 0 ? new Date(Date.now() + seconds * 1000) : null,
  }
}

/** Graph's Unix seconds, where 0 means never. */
function unixOrNull(seconds: number | undefined): Date | null {
  return seconds ? new Date(seconds * 1000) : null
}

function scrubAll(message: string, secrets: string[]): string {
  let out = message
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]')
  return out
}

class GraphTimeout extends Error {}
