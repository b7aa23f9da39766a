import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { createUsageMeter, type UsageMeter } from './graph-sim-limits.js'
import { routeGraphOAuth } from './graph-sim-oauth.js'
import type { GraphSimApp } from './graph-sim-oauth-state.js'
import {
  createGraphSimState,
  type GraphSimComment,
  type GraphSimPage,
  type GraphSimState,
  graphCommentJson,
} from './graph-sim-state.js'
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

export { facebookCommentBody, sendFacebookWebhook } from './facebook-webhook-sender.js'
export type { GraphSimApp, GraphSimToken, GraphSimUser } from './graph-sim-oauth-state.js'
export type { GraphSimComment, GraphSimPage, GraphSimState } from './graph-sim-state.js'

/**
 * A Graph error to inject: e.g. `{ status: 400, code: 4 }` (throttled), `{ status: 400,
 * code: 190 }`, `{ status: 400, code: 100, subcode: 33 }`, `{ status: 500, code: 2 }`,
 * `{ status: 502, raw: '<html>' }` (a proxy page), or `{ drop: true }`.
 */
export type GraphFault = BaseFault & {
  status?: number
  code?: number
  subcode?: number
  message?: string
  type?: string
  headers?: Record<string, string>
  raw?: string
}

export type GraphSimulator = {
  url: string
  stop(): Promise<void>
  state: GraphSimState
  faults: GraphFault[]
  requests: SimRequest[]
  /** the Pages rate limit: set `usage.limits` to enforce one, read `usage.throttled` after */
  usage: UsageMeter
}

/**
 * A local Graph API (v24.0 wire format, any version prefix accepted) for integration tests and
 * `wardguard demo`: Page comments, hide/unhide, delete, Page bans, replies, token per Page.
 */
export async function startGraphSimulator(
  opts: { port?: number; pages?: Record<string, string>; app?: GraphSimApp } = {},
): Promise<GraphSimulator> {
  const state = createGraphSimState(opts.pages, opts.app)
  const faults: GraphFault[] = []
  const requests: SimRequest[] = []
  const usage = createUsageMeter()

  const server = await startSimServer(opts.port ?? 0, async (req, res) => {
    const token =
      str(req.query.access_token) ??
      str(req.body.access_token) ??
      bearerToken(req.headers.authorization)
    const page = state.pageForToken(token)
    requests.push({
      method: req.method,
      path: req.path,
      query: withoutKeys(req.query, SECRET_PARAMS) as Record<string, string>,
      body: withoutKeys(req.body, SECRET_PARAMS),
      as: page?.id ?? null,
      at: Date.now(),
    })
    const fault = takeFault(faults, req)
    if (fault && (await applyDelay(fault))) return answerFault(res, fault)
    const login = routeGraphOAuth(state, req, res, token)
    if (login) return login
    if (!token)
      return graphError(res, 400, 104, 'An access token is required to request this resource.')
    if (!page) {
      const problem = state.oauth.problem(token)
      return graphError(
        res,
        400,
        190,
        problem?.message ?? 'Invalid OAuth access token - Cannot parse access token',
        problem?.subcode,
      )
    }
    const counted = usage.count(page.id)
    if (counted) res.setHeader('x-business-use-case-usage', counted.header)
    if (counted?.over) {
      return graphError(res, 400, 80001, 'There have been too many calls to this Page account.')
    }
    const match = /^\/v\d+\.\d+\/(.+)$/.exec(req.path)
    if (!match?.[1]) return graphError(res, 400, 2500, 'Unknown path components')
    return route(state, page, match[1].split('/').map(decodeURIComponent), req, res)
  })

  return { url: server.url, stop: server.stop, state, faults, requests, usage }
}

/** never recorded: tokens and app secrets */
const SECRET_PARAMS = ['access_token', 'client_secret', 'fb_exchange_token', 'input_token']

function route(
  state: GraphSimState,
  page: GraphSimPage,
  segments: string[],
  req: ParsedRequest,
  res: ServerResponse,
): Answered {
  const params = { ...req.query, ...req.body }
  const [id = '', edge] = segments
  if (segments.length === 1 && (id === 'me' || id === page.id)) {
    if (req.method === 'GET') return sendJson(res, 200, { id: page.id, name: page.name })
  }
  if (segments.length === 2 && edge === 'blocked') {
    if (id !== page.id) return graphError(res, 403, 200, '(#200) Permissions error')
    const user = str(params.user) ?? str(params.uid)
    if (req.method === 'GET') {
      return sendJson(res, 200, {
        data: [...(state.blocked.get(id) ?? [])].map((u) => ({ id: u })),
      })
    }
    if (!user) return graphError(res, 400, 100, '(#100) The parameter user is required')
    if (req.method === 'POST') {
      state.ban(id, user)
      return sendJson(res, 200, { [user]: true })
    }
    if (req.method === 'DELETE') {
      state.unban(id, user)
      return sendJson(res, 200, { success: true })
    }
  }
  const comment = state.comment(id)
  // a Page's own post (`<pageId>_<n>`) takes new top-level comments too
  if (!comment && edge === 'comments' && req.method === 'POST' && id.startsWith(`${page.id}_`)) {
    const message = str(params.message)
    if (!message) return graphError(res, 400, 100, '(#100) Missing message')
    const made = state.seedComment({
      pageId: page.id,
      from: { id: page.id, name: page.name },
      message,
      postId: id,
    })
    return sendJson(res, 200, { id: made.id })
  }
  if (!comment || comment.deleted || comment.pageId !== page.id) {
    return graphError(
      res,
      400,
      100,
      `Unsupported ${req.method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      33,
    )
  }
  if (segments.length === 1) return commentRoute(comment, params, req.method, res)
  if (segments.length === 2 && edge === 'comments') {
    if (req.method === 'GET') {
      const replies = [...state.comments.values()].filter(
        (c) => c.parentId === comment.id && !c.deleted,
      )
      return sendJson(res, 200, { data: replies.map(graphCommentJson) })
    }
    const message = str(params.message)
    if (req.method === 'POST' && message) {
      const reply = state.seedComment({
        pageId: page.id,
        from: { id: page.id, name: page.name },
        message,
        replyTo: comment.id,
      })
      return sendJson(res, 200, { id: reply.id })
    }
    return graphError(res, 400, 100, '(#100) Missing message')
  }
  return graphError(res, 400, 2500, 'Unknown path components')
}

function commentRoute(
  comment: GraphSimComment,
  params: Record<string, unknown>,
  method: string,
  res: ServerResponse,
): Answered {
  if (method === 'GET') return sendJson(res, 200, graphCommentJson(comment))
  if (method === 'DELETE') {
    comment.deleted = true
    return sendJson(res, 200, { success: true })
  }
  if (method === 'POST' && params.is_hidden !== undefined) {
    const hidden = bool(params.is_hidden)
    if (hidden === null)
      return graphError(res, 400, 100, '(#100) Param is_hidden must be a boolean')
    if (comment.from.id === comment.pageId) {
      return graphError(res, 400, 100, "(#100) The Page's own comments cannot be hidden")
    }
    comment.isHidden = hidden
    return sendJson(res, 200, { success: true })
  }
  return graphError(res, 400, 100, '(#100) No valid update parameters')
}

function answerFault(res: ServerResponse, fault: GraphFault): Answered {
  if (fault.drop) {
    res.socket?.destroy()
    return ANSWERED
  }
  const status = fault.status ?? 500
  if (fault.raw !== undefined) {
    res.writeHead(status, { 'content-type': 'text/html', ...fault.headers })
    res.end(fault.raw)
    return ANSWERED
  }
  const code = fault.code ?? (status >= 500 ? 2 : 100)
  const message = fault.message ?? defaultMessage(code)
  return graphError(res, status, code, message, fault.subcode, fault.headers, fault.type)
}

function defaultMessage(code: number): string {
  if ([4, 17, 32, 613].includes(code)) return `(#${code}) Application request limit reached`
  if (code === 190) return 'Error validating access token: Session has expired'
  if (code === 2) return 'An unexpected error has occurred. Please retry your request later.'
  return `(#${code}) Simulated error`
}

function graphError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  subcode?: number,
  headers: Record<string, string> = {},
  type = code === 190 || code === 104 ? 'OAuthException' : 'GraphMethodException',
): Answered {
  return sendJson(
    res,
    status,
    {
      error: {
        message,
        type,
        code,
        ...(subcode === undefined ? {} : { error_subcode: subcode }),
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
    headers,
  )
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}

function bool(value: unknown): boolean | null {
  if (value === true || value === 'true' || value === '1') return true
  if (value === false || value === 'false' || value === '0') return false
  return null
}
