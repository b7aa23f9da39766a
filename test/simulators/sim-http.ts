import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request as a simulator saw it. Secrets (tokens) are removed before it is recorded. */
export type SimRequest = {
  method: string
  path: string
  query: Record<string, string>
  body: Record<string, unknown>
  /** who the credentials belong to (Page id, X user id), or null when they were wrong */
  as: string | null
  at: number
}

/** Which requests a fault applies to; strings match the path exactly. */
export type FaultMatch =
  | { method?: string; path?: string | RegExp }
  | ((req: { method: string; path: string; body: Record<string, unknown> }) => boolean)

export type BaseFault = {
  match?: FaultMatch
  /** how many matching requests fail; default 1, Infinity for all */
  times?: number
  /** close the socket without answering (a network failure) */
  drop?: boolean
  /** wait this long first; a fault with only a delay then answers normally (a slow API) */
  delayMs?: number
}

export type ParsedRequest = {
  method: string
  path: string
  query: Record<string, string>
  body: Record<string, unknown>
  headers: IncomingMessage['headers']
}

export type SimServer = { url: string; stop(): Promise<void> }

/** Starts an http server on 127.0.0.1 that hands each parsed request to `handle`. */
export async function startSimServer(
  port: number,
  handle: (req: ParsedRequest, res: ServerResponse) => Promise<Answered> | Answered,
): Promise<SimServer> {
  const server = createServer((req, res) => {
    void readRequest(req)
      .then((parsed) => handle(parsed, res))
      .catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(err) })
        else res.end()
      })
  })
  server.keepAliveTimeout = 1_000
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const { port: actual } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${actual}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

async function readRequest(req: IncomingMessage): Promise<ParsedRequest> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const raw = Buffer.concat(chunks).toString('utf8')
  const url = new URL(req.url ?? '/', 'http://sim')
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body: parseBody(raw, req.headers['content-type'] ?? ''),
    headers: req.headers,
  }
}

/** JSON and form bodies are both legal on Graph and X; anything else is kept as `_raw`. */
export function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {}
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw))
  }
  try {
    const parsed: unknown = JSON.parse(raw)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { _raw: parsed }
  } catch {
    return { _raw: raw }
  }
}

/** Proof that a route answered: every route path ends in a helper that returns this. */
export type Answered = { readonly answered: true }
export const ANSWERED: Answered = { answered: true }

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Answered {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(text)
  return ANSWERED
}

/** Finds the first fault that matches, uses up one of its `times`, and returns it. */
export function takeFault<F extends BaseFault>(faults: F[], req: ParsedRequest): F | undefined {
  const index = faults.findIndex((f) => matches(f.match, req))
  if (index < 0) return undefined
  const fault = faults[index]!
  const left = (fault.times ?? 1) - 1
  if (left <= 0) faults.splice(index, 1)
  else fault.times = left
  return fault
}

function matches(match: FaultMatch | undefined, req: ParsedRequest): boolean {
  if (!match) return true
  if (typeof match === 'function') return match(req)
  if (match.method && match.method.toUpperCase() !== req.method) return false
  if (match.path === undefined) return true
  return typeof match.path === 'string' ? match.path === req.path : match.path.test(req.path)
}

/** Waits out a fault's delay; true when the fault also dictates the answer. */
export async function applyDelay(fault: BaseFault & { status?: number }): Promise<boolean> {
  if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
  return Boolean(fault.drop) || fault.status !== undefined || 'raw' in fault || 'body' in fault
}

export function withoutKeys(
  record: Record<string, unknown>,
  keys: string[],
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)))
}

export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header
  const match = value ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(value) : null
  return match?.[1] ?? null
}
