import { createHash } from 'node:crypto'
import type { Logger } from 'pino'
import { isAppError, PlatformError } from '../../errors.js'
import { connectorLogger } from '../../logger.js'
import type { Ingest } from '../types.js'
import type { XClient, XTweetPage } from './client.js'
import { fromXPoll } from './normalise.js'

/** Where the newest seen tweet id survives restarts (Redis, Postgres, a file). */
export type XCursorStore = { get(): Promise<string | null>; set(id: string): Promise<void> }

export type XPollDeps = {
  client: Pick<XClient, 'mentions' | 'conversationReplies'>
  accountId: string
  username?: string | null
  cursor: XCursorStore
  ingest: Ingest
  /** conversations (the account's recent posts) whose replies are searched too; keep it short */
  conversations?: () => Promise<string[]>
  /** pages read per source when there is no cursor yet (first run); default 1 */
  backfillPages?: number
  /** hard stop per source so a runaway never loops; default 50 */
  maxPages?: number
  now?: () => Date
  logger?: Logger
}

export type XPollResult = {
  fetched: number
  ingested: number
  pages: number
  sinceId: string | null
  newestId: string | null
  /** set when X throttled us: wait this long before the next round */
  backoffMs: number | null
}

/**
 * One polling round: every mention (and reply in the watched conversations) newer than the
 * saved since_id, ingested oldest-first, and only THEN the new since_id saved. @NOTE a crash
 * between the two repeats the round (duplicates are dropped downstream) but never skips one.
 * Tweet ids are time-ordered snowflakes, so one cursor serves every source.
 */
export async function pollXAccountOnce(deps: XPollDeps): Promise<XPollResult> {
  const now = deps.now ?? (() => new Date())
  const sinceId = await deps.cursor.get()
  const maxPages = deps.maxPages ?? 50
  const pageLimit = sinceId ? maxPages : Math.min(maxPages, deps.backfillPages ?? 1)
  const collected = new Map<string, XTweetPage['tweets'][number]>()
  const users: NonNullable<XTweetPage['includes']['users']> = []
  let pages = 0
  let newestId: string | null = null

  const readAll = async (fetchPage: (token?: string) => Promise<XTweetPage>) => {
    let token: string | undefined
    for (let i = 0; i < pageLimit; i++) {
      const page = await fetchPage(token)
      pages++
      for (const tweet of page.tweets) {
        collected.set(tweet.id, tweet)
        newestId = maxId(newestId, tweet.id)
      }
      users.push(...(page.includes.users ?? []))
      if (page.newestId) newestId = maxId(newestId, page.newestId)
      if (!page.nextToken) return
      token = page.nextToken
    }
    if (sinceId) deps.logger?.warn({ pages }, 'x poll stopped at maxPages; next round continues')
  }

  try {
    await readAll((token) => deps.client.mentions(sinceId, token))
    for (const conversationId of (await deps.conversations?.()) ?? []) {
      await readAll((token) => deps.client.conversationReplies(conversationId, sinceId, token))
    }
  } catch (err) {
    if (err instanceof PlatformError && err.code === 'platform_throttled') {
      return {
        fetched: 0,
        ingested: 0,
        pages,
        sinceId,
        newestId: null,
        backoffMs: err.retryAfterMs ?? 60_000,
      }
    }
    throw err
  }

  const oldestFirst = [...collected.values()].sort((a, b) => compareIds(a.id, b.id))
  const receivedAt = now().toISOString()
  const account = { id: deps.accountId, username: deps.username ?? null }
  const comments = fromXPoll(oldestFirst, { users }, account, { receivedAt })
  if (comments.length > 0) {
    const deliveryKey = createHash('sha256')
      .update(comments.map((c) => c.commentId).join(','))
      .digest('hex')
      .slice(0, 16)
    await deps.ingest(comments, { deliveryKey, receivedAt })
  }
  if (newestId && newestId !== sinceId && (!sinceId || compareIds(newestId, sinceId) > 0)) {
    await deps.cursor.set(newestId)
  }
  return {
    fetched: collected.size,
    ingested: comments.length,
    pages,
    sinceId,
    newestId,
    backoffMs: null,
  }
}

export type XPollerOptions = Omit<XPollDeps, 'logger'> & {
  intervalMs: number
  logger?: Logger
  /** after each round, e.g. for metrics */
  onResult?: (result: XPollResult) => void
  /** a round failed; token_invalid errors should raise an alert to the council */
  onError?: (err: unknown) => void
}

/** Runs pollXAccountOnce on a timer for one account; start() once, stop() on shutdown. */
export class XPoller {
  readonly #opts: XPollerOptions
  readonly #log: Logger
  #timer: NodeJS.Timeout | null = null
  #running: Promise<void> | null = null
  #stopped = true
  #failures = 0

  constructor(opts: XPollerOptions) {
    this.#opts = opts
    this.#log = opts.logger ?? connectorLogger.child({ platform: 'x', accountId: opts.accountId })
  }

  start(): void {
    if (!this.#stopped) return
    this.#stopped = false
    this.#schedule(0)
  }

  /** Stops the timer and waits for a round in flight, so its cursor write is not cut short. */
  async stop(): Promise<void> {
    this.#stopped = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    await this.#running
  }

  /** One round now (also what the timer calls); errors go to onError and back off. */
  async pollNow(): Promise<XPollResult | null> {
    try {
      const result = await pollXAccountOnce({ ...this.#opts, logger: this.#log })
      this.#failures = 0
      this.#log.info(
        {
          fetched: result.fetched,
          ingested: result.ingested,
          pages: result.pages,
          backoffMs: result.backoffMs,
        },
        'x poll round',
      )
      this.#opts.onResult?.(result)
      return result
    } catch (err) {
      this.#failures++
      this.#log.error(
        { code: isAppError(err) ? err.code : 'unknown', failures: this.#failures },
        'x poll round failed',
      )
      this.#opts.onError?.(err)
      return null
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return
    this.#timer = setTimeout(() => {
      this.#timer = null
      this.#running = this.pollNow().then((result) => {
        this.#running = null
        this.#schedule(this.#nextDelay(result))
      })
    }, delayMs)
    this.#timer.unref?.()
  }

  #nextDelay(result: XPollResult | null): number {
    const base = this.#opts.intervalMs
    if (result?.backoffMs) return Math.max(base, result.backoffMs)
    // @NOTE failing rounds back off exponentially up to 15 minutes, X's rate-limit window
    if (!result) return Math.min(base * 2 ** Math.min(this.#failures, 10), 15 * 60_000)
    return base
  }
}

export function createXPoller(opts: XPollerOptions): XPoller {
  return new XPoller(opts)
}

/** Compares snowflake ids numerically (they outgrow Number, and differ in length). */
function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length
  return a < b ? -1 : a > b ? 1 : 0
}

function maxId(a: string | null, b: string): string {
  return a === null || compareIds(b, a) > 0 ? b : a
}
