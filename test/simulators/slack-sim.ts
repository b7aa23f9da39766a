/**
 * A local Slack: the Web API methods Wardguard calls (form or JSON bodies, Bearer tokens), Socket
 * Mode over a `ws` server, fault injection (429 + Retry-After, outage), and a sender of signed
 * interaction payloads. Wire formats follow /work/shared/docs/platforms.md §3.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'
import {
  conversationsInfo,
  createWorkspace,
  refusal,
  type SimChannel,
  type SimWorkspace,
  scopeHeader,
} from './slack-sim-workspace.js'

type Json = Record<string, unknown>
export type SimRequest = { method: string; args: Json; token: string | null }
export type SimMessage = {
  channel: string
  ts: string
  text: string
  blocks: Json[]
  updates: number
}
export type SimEphemeral = { channel: string; user: string; text: string }
export type SimView = { id: string; triggerId: string; view: Json }
export type Fault =
  | { status: 429; retryAfterSec?: number }
  | { status: 500 }
  | { slackError: string }

export type SlackSim = {
  /** the Web API base, for `slackApiUrl` */
  url: string
  requests: SimRequest[]
  /** the bot's granted scopes and the channels it sees; tests may change them */
  workspace: SimWorkspace
  messages: SimMessage[]
  ephemerals: SimEphemeral[]
  views: SimView[]
  calls(method: string): SimRequest[]
  message(channel: string, ts: string): SimMessage | undefined
  /** a trigger_id as Slack would put in an interaction payload; it expires after `triggerTtlMs` */
  issueTrigger(): string
  /** the next `times` calls to `method` ('*' for any) fail this way */
  failNext(method: string, fault: Fault, times?: number): void
  /** while on, every connection is dropped: the client sees Slack as unreachable */
  setOutage(on: boolean): void
  openSockets(): number
  waitForSocket(timeoutMs?: number): Promise<void>
  /** pushes a Socket Mode envelope and resolves with the client's ack payload */
  pushEnvelope(
    type: 'interactive' | 'events_api',
    payload: Json,
    opts?: { retryAttempt?: number },
  ): Promise<Json>
  close(): Promise<void>
}

export type SlackSimOptions = {
  botToken: string
  appToken?: string
  triggerTtlMs?: number
  /** granted bot scopes (x-oauth-scopes); default: what the Wardguard manifest asks for */
  scopes?: string[]
  /** channel id → channel, for conversations.info and membership checks */
  channels?: Record<string, SimChannel>
  /** user id → names, for users.info; other ids are user_not_found */
  users?: Record<string, SimUser>
}

export type SimUser = { name: string; realName?: string; displayName?: string }

export async function startSlackSim(opts: SlackSimOptions): Promise<SlackSim> {
  const state = {
    requests: [] as SimRequest[],
    messages: [] as SimMessage[],
    ephemerals: [] as SimEphemeral[],
    views: [] as SimView[],
    triggers: new Map<string, number>(),
    faults: [] as { method: string; fault: Fault; left: number }[],
    outage: false,
    seq: 0,
  }
  const workspace = createWorkspace(opts)
  const acks = new Map<string, (payload: Json) => void>()
  const wss = new WebSocketServer({ noServer: true })
  const server = createServer((req, res) => {
    if (state.outage) return void req.socket.destroy()
    void readBody(req).then((raw) => route(req, res, raw))
  })
  server.on('upgrade', (req, socket, head) => {
    if (state.outage || !req.url?.startsWith('/link')) return void socket.destroy()
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const ttl = opts.triggerTtlMs ?? 3000

  function onSocket(ws: WebSocket) {
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: wss.clients.size,
        connection_info: { app_id: 'A0SIM' },
      }),
    )
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: Json }
      if (msg.envelope_id) acks.get(msg.envelope_id)?.(msg.payload ?? {})
    })
  }

  function nextTs(): string {
    state.seq += 1
    return `${Math.floor(Date.now() / 1000)}.${String(state.seq).padStart(6, '0')}`
  }

  function route(req: IncomingMessage, res: ServerResponse, raw: string) {
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? ''
    const args = parseArgs(raw, req.headers['content-type'] ?? '')
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null
    const token = bearer ?? (typeof args.token === 'string' ? args.token : null)
    state.requests.push({ method, args, token })
    const fault = state.faults.find((f) => f.left > 0 && (f.method === method || f.method === '*'))
    if (fault) {
      fault.left -= 1
      if ('slackError' in fault.fault)
        return send(res, 200, { ok: false, error: fault.fault.slackError })
      const headers: Record<string, string> = {}
      if (fault.fault.status === 429 && fault.fault.retryAfterSec !== undefined) {
        headers['retry-after'] = String(fault.fault.retryAfterSec)
      }
      return send(res, fault.fault.status, { ok: false, error: 'ratelimited' }, headers)
    }
    const wanted = method === 'apps.connections.open' ? opts.appToken : opts.botToken
    if (!token || token !== wanted) return send(res, 200, { ok: false, error: 'invalid_auth' })
    // @NOTE Slack sends the token's scopes on every answer; app-level tokens carry their own
    const headers = method === 'apps.connections.open' ? {} : scopeHeader(workspace)
    send(res, 200, refusal(workspace, method, args) ?? answer(method, args), headers)
  }

  function answer(method: string, a: Json): Json {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://council.slack.com/',
          team: 'Council',
          user: 'wardguard',
          team_id: 'T0SIM',
          user_id: 'U0BOT',
          bot_id: 'B0BOT',
        }
      case 'apps.connections.open':
        return {
          ok: true,
          url: `ws://127.0.0.1:${port}/link?ticket=${randomBytes(4).toString('hex')}`,
        }
      case 'chat.postMessage': {
        const problem = checkMessage(a)
        if (problem) return { ok: false, error: problem }
        const msg = {
          channel: String(a.channel),
          ts: nextTs(),
          text: String(a.text ?? ''),
          blocks: asBlocks(a.blocks),
          updates: 0,
        }
        state.messages.push(msg)
        return {
          ok: true,
          channel: msg.channel,
          ts: msg.ts,
          message: { type: 'message', text: msg.text, blocks: msg.blocks, ts: msg.ts },
        }
      }
      case 'chat.update': {
        const msg = state.messages.find((m) => m.channel === a.channel && m.ts === a.ts)
        if (!msg) return { ok: false, error: 'message_not_found' }
        const problem = checkMessage(a)
        if (problem) return { ok: false, error: problem }
        Object.assign(msg, {
          text: String(a.text ?? msg.text),
          blocks: asBlocks(a.blocks),
          updates: msg.updates + 1,
        })
        return { ok: true, channel: msg.channel, ts: msg.ts, text: msg.text }
      }
      case 'conversations.info':
        return conversationsInfo(workspace, a)
      case 'users.info': {
        if (!workspace.scopes.includes('users:read'))
          return { ok: false, error: 'missing_scope', needed: 'users:read' }
        const id = String(a.user ?? '')
        const u = opts.users?.[id]
        if (!u) return { ok: false, error: 'user_not_found' }
        return {
          ok: true,
          user: {
            id,
            name: u.name,
            real_name: u.realName ?? u.name,
            profile: { display_name: u.displayName ?? '', real_name: u.realName ?? u.name },
          },
        }
      }
      case 'chat.postEphemeral':
        if (!a.channel || !a.user || !(a.text || a.blocks))
          return { ok: false, error: 'invalid_arguments' }
        state.ephemerals.push({
          channel: String(a.channel),
          user: String(a.user),
          text: String(a.text ?? ''),
        })
        return { ok: true, message_ts: nextTs() }
      case 'views.open': {
        const issued = state.triggers.get(String(a.trigger_id))
        if (issued === undefined) return { ok: false, error: 'invalid_trigger_id' }
        if (Date.now() - issued > ttl) return { ok: false, error: 'expired_trigger_id' }
        const view = (typeof a.view === 'string' ? JSON.parse(a.view) : a.view) as Json
        const problem = checkModal(view)
        if (problem) return { ok: false, error: problem }
        const opened = {
          id: `V${String(state.views.length + 1).padStart(8, '0')}`,
          triggerId: String(a.trigger_id),
          view,
        }
        state.views.push(opened)
        return { ok: true, view: { ...view, id: opened.id, hash: 'h' } }
      }
      default:
        return { ok: false, error: 'unknown_method' }
    }
  }

  return {
    url: `http://127.0.0.1:${port}/api/`,
    requests: state.requests,
    workspace,
    messages: state.messages,
    ephemerals: state.ephemerals,
    views: state.views,
    calls: (method) => state.requests.filter((r) => r.method === method),
    message: (channel, ts) => state.messages.find((m) => m.channel === channel && m.ts === ts),
    issueTrigger() {
      const id = `${Date.now()}.${randomBytes(6).toString('hex')}`
      state.triggers.set(id, Date.now())
      return id
    },
    failNext: (method, fault, times = 1) => void state.faults.push({ method, fault, left: times }),
    setOutage(on) {
      state.outage = on
      if (on) for (const ws of wss.clients) ws.terminate()
    },
    openSockets: () => [...wss.clients].filter((ws) => ws.readyState === ws.OPEN).length,
    async waitForSocket(timeoutMs = 5000) {
      const until = Date.now() + timeoutMs
      while (![...wss.clients].some((ws) => ws.readyState === ws.OPEN)) {
        if (Date.now() > until) throw new Error('no Socket Mode connection')
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    pushEnvelope(type, payload, o = {}) {
      const envelopeId = randomBytes(8).toString('hex')
      const ws = [...wss.clients].find((c) => c.readyState === c.OPEN)
      if (!ws) return Promise.reject(new Error('no Socket Mode connection'))
      return new Promise<Json>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('envelope not acked within 3 s')), 3000)
        acks.set(envelopeId, (ack) => {
          clearTimeout(timer)
          acks.delete(envelopeId)
          resolve(ack)
        })
        ws.send(
          JSON.stringify({
            envelope_id: envelopeId,
            type,
            payload,
            accepts_response_payload: type === 'interactive',
            retry_attempt: o.retryAttempt ?? 0,
            retry_reason: o.retryAttempt ? 'timeout' : '',
          }),
        )
      })
    },
    async close() {
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function parseArgs(raw: string, contentType: string): Json {
  if (contentType.startsWith('application/json')) return raw ? (JSON.parse(raw) as Json) : {}
  return Object.fromEntries(new URLSearchParams(raw))
}

function send(
  res: ServerResponse,
  status: number,
  body: Json,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

function asBlocks(v: unknown): Json[] {
  if (typeof v === 'string') return JSON.parse(v) as Json[]
  return Array.isArray(v) ? (v as Json[]) : []
}

const textOf = (t: unknown) => (t && typeof t === 'object' && 'text' in t ? String(t.text) : '')

/** The Block Kit limits Slack enforces with `invalid_blocks`, for the blocks Wardguard uses. */
function checkBlocks(blocks: Json[], max: number): string | null {
  if (blocks.length > max) return 'invalid_blocks'
  for (const b of blocks) {
    if (b.type === 'header' && textOf(b.text).length > 150) return 'invalid_blocks'
    if (b.type === 'section' && textOf(b.text).length > 3000) return 'invalid_blocks'
    const fields = (b.fields ?? []) as Json[]
    if (fields.length > 10 || fields.some((f) => textOf(f).length > 2000)) return 'invalid_blocks'
    if (b.type === 'actions') {
      const els = b.elements as Json[]
      if (els.length > 25) return 'invalid_blocks'
      for (const e of els) {
        if (textOf(e.text).length > 75 || String(e.value ?? '').length > 2000)
          return 'invalid_blocks'
      }
    }
  }
  return null
}

function checkMessage(a: Json): string | null {
  if (!a.channel) return 'channel_not_found'
  if (!a.text && !a.blocks) return 'no_text'
  return checkBlocks(asBlocks(a.blocks), 50)
}

function checkModal(v: Json): string | null {
  if (v.type !== 'modal') return 'invalid_arguments'
  for (const k of ['title', 'submit', 'close'])
    if (textOf(v[k]).length > 24) return 'invalid_arguments'
  if (String(v.private_metadata ?? '').length > 3000) return 'invalid_arguments'
  return checkBlocks((v.blocks ?? []) as Json[], 100)
}

export {
  blockActionsPayload,
  type SendOptions,
  sendInteraction,
  sendSigned,
  slackSignature,
  viewSubmissionPayload,
} from './slack-interactions.js'
export { DEFAULT_SIM_SCOPES, type SimChannel, type SimWorkspace } from './slack-sim-workspace.js'
