import { createHash } from 'node:crypto'
import type { Hono } from 'hono'
import { type Db, recordEvent, saveSnapshot } from '../../src/audit/index.js'
import { createHttpApp } from '../../src/http/app.js'
import { createMetrics } from '../../src/http/metrics.js'
import { httpLogger } from '../../src/logger.js'
import { loadPolicy } from '../../src/moderation/index.js'
import {
  addUser,
  createWebRoutes,
  type WebAccount,
  type WebDeps,
  webNotFound,
} from '../../src/web/index.js'

export const ORIGIN = 'http://localhost'
export const PASSWORD = 'correct horse battery staple'
const policy = loadPolicy()

export const ACCOUNTS: WebAccount[] = [
  {
    id: 'cllr-a',
    name: 'Cllr Adams',
    platform: 'facebook',
    ownerName: 'Ann Adams',
    ownerEmail: 'ann.adams@council.example',
    policy,
  },
  { id: 'cllr-b', name: 'Cllr Brown', platform: 'x', ownerName: 'Bob Brown', policy },
]

export function webDeps(db: Db, now?: () => Date, extra: Partial<WebDeps> = {}): WebDeps {
  return {
    db,
    accounts: () => ACCOUNTS,
    council: { name: 'Test Borough Council', contact: 'comms@council.example' },
    sessionSecret: 'test-session-secret-that-is-long-enough-1234',
    now,
    ...extra,
  }
}

export function makeApp(db: Db, now?: () => Date, extra: Partial<WebDeps> = {}): Hono {
  return createWebRoutes(webDeps(db, now, extra))
}

/** The web app inside the service's host app, as it runs: unknown addresses, the 404 page. */
export function makeHostApp(db: Db, now?: () => Date, extra: Partial<WebDeps> = {}): Hono {
  const deps = webDeps(db, now, extra)
  return createHttpApp({
    logger: httpLogger,
    metrics: createMetrics(),
    bodyLimitBytes: 1_000_000,
    checks: [],
    mounts: [['/', createWebRoutes(deps)]],
    notFound: webNotFound(deps),
  }) as unknown as Hono
}

export async function addStandardUsers(db: Db): Promise<void> {
  await addUser(db, { username: 'admin', role: 'admin', password: PASSWORD })
  await addUser(db, { username: 'auditor', role: 'auditor', password: PASSWORD })
  await addUser(db, {
    username: 'adams',
    role: 'councillor',
    accountIds: ['cllr-a'],
    password: PASSWORD,
  })
  await addUser(db, {
    username: 'brown',
    role: 'councillor',
    accountIds: ['cllr-b'],
    password: PASSWORD,
  })
}

let n = 0
export type Seeded = { subjectKey: string; text: string }

/** One comment as the pipeline records it: snapshot, received, decided, and (if act) hidden. */
export async function seedComment(
  db: Db,
  opts: {
    accountId: string
    text: string
    decision: 'allow' | 'act' | 'review'
    categories?: string[]
    authorId?: string
    postId?: string
    at: string
    resolvedBy?: { moderator: string; verdict: string; explanation: string; at: string }
  },
): Promise<Seeded> {
  n++
  const platform = opts.accountId === 'cllr-b' ? 'x' : 'facebook'
  const commentId = `c${n}-${Date.now().toString(36)}`
  const subjectKey = `${platform}.${commentId}`
  const contentHash = createHash('sha256').update(opts.text).digest('hex')
  const base = {
    subjectKey,
    platform,
    commentId,
    postId: opts.postId ?? 'post-1',
    authorId: opts.authorId ?? `author-${n}`,
    accountId: opts.accountId,
  } as const
  await db.transaction(async (tx) => {
    await saveSnapshot(tx, {
      subjectKey,
      authorId: base.authorId,
      authorName: 'A Resident',
      text: opts.text,
      permalink: `https://facebook.com/${commentId}`,
      contentHash,
      reasons: (opts.categories ?? []).map((c) => ({
        rule: `${c}.words`,
        category: c,
        match: 'xx',
        explanation: `${c} words`,
      })),
      capturedAt: opts.at,
    })
    const received = await recordEvent(tx, {
      ...base,
      type: 'comment.received',
      actor: { kind: 'platform', id: platform },
      meta: { contentHash },
      dedupeKey: `${subjectKey}/received`,
      at: opts.at,
    })
    const decided = await recordEvent(tx, {
      ...base,
      type: 'decision.made',
      actor: { kind: 'policy', id: 'policy-v1' },
      ruleIds: (opts.categories ?? []).map((c) => `${c}.words`),
      categories: opts.categories ?? [],
      reason: `${opts.decision}: ${(opts.categories ?? []).join(', ') || 'no rule fired'}`,
      meta: { decision: opts.decision, action: opts.decision === 'act' ? 'hide' : null },
      causedBy: received.event.id,
      dedupeKey: `${subjectKey}/decided`,
      at: new Date(Date.parse(opts.at) + 1500).toISOString(),
    })
    if (opts.resolvedBy) {
      await recordEvent(tx, {
        ...base,
        type: 'review.resolved',
        actor: { kind: 'moderator', id: `slack/${opts.resolvedBy.moderator}` },
        reason: opts.resolvedBy.explanation,
        meta: { verdict: opts.resolvedBy.verdict },
        causedBy: decided.event.id,
        dedupeKey: `${subjectKey}/resolved`,
        at: opts.resolvedBy.at,
      })
    }
  })
  return { subjectKey, text: opts.text }
}

/** A browser-like client over app.request(): keeps cookies, sends our Origin on posts. */
export class Client {
  private readonly app: Hono
  private readonly jar = new Map<string, string>()
  csrf = ''

  constructor(app: Hono) {
    this.app = app
  }

  async request(
    path: string,
    init: RequestInit & { origin?: string | null } = {},
  ): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.jar.size > 0)
      headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '))
    if (init.method === 'POST' && init.origin !== null) headers.set('origin', init.origin ?? ORIGIN)
    const res = await this.app.request(`${ORIGIN}${path}`, { ...init, headers })
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const [k, ...v] = (pair ?? '').split('=')
      if (!k) continue
      if (/max-age=0/i.test(c)) this.jar.delete(k)
      else this.jar.set(k, v.join('='))
    }
    const type = res.headers.get('content-type') ?? ''
    if (type.includes('text/html')) {
      const text = await res.clone().text()
      const m = /name="_csrf" value="([^"]*)"/.exec(text)
      if (m?.[1]) this.csrf = m[1]
    }
    return res
  }

  post(path: string, fields: Record<string, string>, opts: { origin?: string | null } = {}) {
    return this.request(path, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      origin: opts.origin,
    })
  }

  async signIn(username: string, password = PASSWORD): Promise<Response> {
    await this.request('/signin')
    return this.post('/signin', { username, password, _csrf: this.csrf, next: '/audit/decisions' })
  }
}
