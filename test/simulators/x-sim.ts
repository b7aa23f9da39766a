import type { ServerResponse } from 'node:http'
import {
  ANSWERED,
  type Answered,
  applyDelay,
  type BaseFault,
  bearerToken,
  type ParsedRequest,
  type SimRequest,
  sendJson,
  startSimServer,
  takeFault,
  withoutKeys,
} from './sim-http.js'
import { routeXOAuth } from './x-sim-oauth.js'
import type { XSimClient } from './x-sim-oauth-state.js'
import { type Handler, lookup, problem, search, timeline, userJson } from './x-sim-read.js'
import { createXSimState, type XSimState } from './x-sim-state.js'

export type { XSimClient } from './x-sim-oauth-state.js'
export type { SeedTweet, XSimState, XSimTier, XSimTweet, XSimUser } from './x-sim-state.js'
export { sendXWebhook, xCrcCheck, xTweetCreateBody } from './x-webhook-sender.js'

export type XRouteKey = 'me' | 'hide' | 'mute' | 'block' | 'mentions' | 'search' | 'post' | 'lookup'

/** An X error to inject, e.g. `{ status: 429, resetInSeconds: 30 }`, `{ status: 503 }`. */
export type XFault = BaseFault & {
  status?: number
  body?: unknown
  headers?: Record<string, string>
  /** for 429: x-rate-limit-reset is now + this (default 60) */
  resetInSeconds?: number
}

export type XSimulator = {
  url: string
  stop(): Promise<void>
  state: XSimState
  faults: XFault[]
  requests: SimRequest[]
}

const DEFAULT_LIMITS: Record<XRouteKey, number> = {
  me: 75,
  hide: 50,
  mute: 50,
  block: 50,
  mentions: 300,
  search: 300,
  post: 100,
  lookup: 900,
}
const WINDOW_SECONDS = 15 * 60

/**
 * A local X API v2 for tests and `wardguard demo`: hidden replies (own conversations only),
 * mute, block (Enterprise only), mentions and recent search with since_id and pagination,
 * users/me, x-rate-limit-* headers and 429s that carry no Retry-After, like the real API.
 */
export async function startXSimulator(
  opts: { port?: number; limits?: Partial<Record<XRouteKey, number>>; client?: XSimClient } = {},
): Promise<XSimulator> {
  const state = createXSimState(opts.client)
  const faults: XFault[] = []
  const requests: SimRequest[] = []
  const limits = { ...DEFAULT_LIMITS, ...opts.limits }
  const windows = new Map<string, { used: number; reset: number }>()

  const server = await startSimServer(opts.port ?? 0, async (req, res) => {
    const user = state.userForToken(bearerToken(req.headers.authorization))
    requests.push({
      method: req.method,
      path: req.path,
      query: req.query,
      // never recorded: client secrets, verifiers and tokens sent to the OAuth endpoints
      body: withoutKeys(req.body, ['client_secret', 'code_verifier', 'refresh_token', 'token']),
      as: user?.id ?? null,
      at: Date.now(),
    })
    const fault = takeFault(faults, req)
    if (fault && (await applyDelay(fault))) return answerFault(res, fault)
    const login = routeXOAuth(state, req, res)
    if (login) return login
    if (!user) return problem(res, 401, 'Unauthorized', 'Unauthorized')
    const found = findRoute(req)
    if (!found) return problem(res, 404, 'Not Found Error', `No route ${req.method} ${req.path}`)
    const now = Math.floor(Date.now() / 1000)
    const key = `${user.id}:${found.key}`
    const window = windows.get(key)
    const current = window && window.reset > now ? window : { used: 0, reset: now + WINDOW_SECONDS }
    current.used++
    windows.set(key, current)
    const limit = limits[found.key]
    const rate = {
      'x-rate-limit-limit': String(limit),
      'x-rate-limit-remaining': String(Math.max(0, limit - current.used)),
      'x-rate-limit-reset': String(current.reset),
    }
    if (current.used > limit)
      return problem(res, 429, 'Too Many Requests', 'Too Many Requests', rate)
    return found.handle(state, user, req, res, rate)
  })
  return { url: server.url, stop: server.stop, state, faults, requests }
}

function findRoute(req: ParsedRequest): { key: XRouteKey; handle: Handler } | null {
  const { method, path } = req
  if (method === 'GET' && path === '/2/users/me') {
    return {
      key: 'me',
      handle: (_s, u, _q, res, rate) => sendJson(res, 200, { data: userJson(u) }, rate),
    }
  }
  if (method === 'GET' && path === '/2/tweets/search/recent')
    return { key: 'search', handle: search }
  if (method === 'POST' && path === '/2/tweets') return { key: 'post', handle: postTweet }
  if (method === 'GET' && path === '/2/tweets') return { key: 'lookup', handle: lookup }
  const hidden = /^\/2\/tweets\/(\d+)\/hidden$/.exec(path)
  if (method === 'PUT' && hidden) return { key: 'hide', handle: hide(hidden[1]!) }
  const relation = /^\/2\/users\/(\d+)\/(muting|blocking)(?:\/(\d+))?$/.exec(path)
  if (relation && (method === 'POST' || method === 'DELETE')) {
    const [, source = '', kind, target] = relation
    const on = method === 'POST'
    if (on === Boolean(target)) return null
    const verb = kind === 'muting' ? 'muting' : 'blocking'
    return { key: verb === 'muting' ? 'mute' : 'block', handle: relate(verb, source, on, target) }
  }
  const mentions = /^\/2\/users\/(\d+)\/mentions$/.exec(path)
  if (method === 'GET' && mentions) {
    const userId = mentions[1]!
    return {
      key: 'mentions',
      handle: (s, _u, q, res, rate) =>
        timeline(
          s,
          q,
          res,
          rate,
          (t) => t.authorId !== userId && s.mentionsUser(t, userId),
          [5, 10],
        ),
    }
  }
  return null
}

function hide(tweetId: string): Handler {
  return (state, user, req, res, rate) => {
    const tweet = state.tweet(tweetId)
    if (!tweet)
      return problem(
        res,
        404,
        'Not Found Error',
        `Could not find tweet with id: [${tweetId}].`,
        rate,
      )
    const root = state.tweet(tweet.conversationId)
    if (tweet.id === tweet.conversationId || root?.authorId !== user.id) {
      return problem(
        res,
        403,
        'Forbidden',
        'You can only hide or unhide replies to conversations you authored.',
        rate,
      )
    }
    if (typeof req.body.hidden !== 'boolean') {
      return problem(res, 400, 'Invalid Request', 'The `hidden` field must be a boolean.', rate)
    }
    tweet.hidden = req.body.hidden
    return sendJson(res, 200, { data: { hidden: tweet.hidden } }, rate)
  }
}

function relate(
  kind: 'muting' | 'blocking',
  source: string,
  on: boolean,
  pathTarget?: string,
): Handler {
  return (state, user, req, res, rate) => {
    if (source !== user.id) {
      return problem(
        res,
        403,
        'Forbidden',
        'You can only act on behalf of the authenticated user.',
        rate,
      )
    }
    if (kind === 'blocking' && user.tier !== 'enterprise') {
      return problem(
        res,
        403,
        'Client Forbidden',
        'This endpoint requires Enterprise access.',
        rate,
        {
          reason: 'client-not-enrolled',
          required_enrollment: 'Enterprise',
          type: 'https://api.twitter.com/2/problems/client-forbidden',
        },
      )
    }
    const target =
      pathTarget ?? (typeof req.body.target_user_id === 'string' ? req.body.target_user_id : '')
    if (!state.users.has(target))
      return problem(res, 400, 'Invalid Request', 'target_user_id is not a user.', rate)
    state.relate(kind === 'muting' ? 'muted' : 'blocked', user.id, target, on)
    return sendJson(res, 200, { data: { [kind]: on } }, rate)
  }
}

function answerFault(res: ServerResponse, fault: XFault): Answered {
  if (fault.drop) {
    res.socket?.destroy()
    return ANSWERED
  }
  const status = fault.status ?? 503
  const headers: Record<string, string> = { ...fault.headers }
  if (status === 429) {
    headers['x-rate-limit-limit'] ??= '50'
    headers['x-rate-limit-remaining'] ??= '0'
    headers['x-rate-limit-reset'] ??= String(
      Math.floor(Date.now() / 1000) + (fault.resetInSeconds ?? 60),
    )
  }
  const body = fault.body ?? {
    title: status === 429 ? 'Too Many Requests' : 'Service Unavailable',
    detail: 'Simulated fault',
    type: 'about:blank',
    status,
  }
  return sendJson(res, status, body, headers)
}

/** POST /2/tweets: the account posts, here a reply (`reply.in_reply_to_tweet_id`). */
const postTweet: Handler = (state, user, req, res, rate) => {
  const text = typeof req.body.text === 'string' ? req.body.text : ''
  const replyTo = (req.body.reply as { in_reply_to_tweet_id?: unknown } | undefined)
    ?.in_reply_to_tweet_id
  if (!text) return problem(res, 400, 'Invalid Request', 'text is required', rate)
  if (typeof replyTo === 'string' && !state.tweet(replyTo)) {
    return problem(res, 404, 'Not Found Error', `Could not find tweet with id: [${replyTo}].`, rate)
  }
  const tweet = state.addTweet({
    authorId: user.id,
    text,
    ...(typeof replyTo === 'string' ? { replyTo } : {}),
  })
  return sendJson(res, 201, { data: { id: tweet.id, text: tweet.text } }, rate)
}
