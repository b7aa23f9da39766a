import { Agent } from 'node:http'
import type { Logger } from 'pino'
import {
  type IClientSettings,
  type ITwitterApiClientPlugin,
  type TweetV2,
  TwitterApi,
  type TwitterApiReadWrite,
} from 'twitter-api-v2'
import { PlatformError } from '../../errors.js'
import { connectorLogger } from '../../logger.js'
import type { PlatformAction } from '../../pipeline/messages.js'
import { createPacer, type Pacer } from '../pacing.js'
import {
  type ActionResult,
  type ActionTarget,
  type PlatformClient,
  unsupportedAction,
} from '../types.js'
import { toXPlatformError, type XForbiddenHint } from './api-errors.js'

export type XTier = 'free' | 'basic' | 'pro' | 'enterprise'

export type XClientOptions = {
  /** default https://api.x.com; X_API_URL points it at a proxy or simulator */
  apiUrl?: string
  /** OAuth 2.0 user-context access token of the councillor's account */
  accessToken: string
  accountId: string
  tier: XTier
  /** a call that takes longer fails as platform_unavailable (retryable); default 15 s */
  timeoutMs?: number
  logger?: Logger
  now?: () => number
}

/** One page of v2 tweets; `includes` holds the expanded authors. */
export type XTweetPage = {
  tweets: TweetV2[]
  includes: { users?: { id: string; name?: string; username?: string }[] }
  newestId: string | null
  nextToken: string | null
}

export type XClient = PlatformClient & {
  readonly platform: 'x'
  readonly tier: XTier
  hideReply(tweetId: string): Promise<ActionResult>
  /** posts a reply as the account; platformRef is the new tweet's id */
  reply(tweetId: string, message: string): Promise<ActionResult>
  unhideReply(tweetId: string): Promise<ActionResult>
  mute(targetUserId: string): Promise<ActionResult>
  /** Enterprise tier only: elsewhere it throws platform_forbidden without calling X */
  block(targetUserId: string): Promise<ActionResult>
  mentions(sinceId: string | null, paginationToken?: string): Promise<XTweetPage>
  /**
   * Reads tweets back by id (at most 100), with their authors. Tweets X does not return
   * (deleted, protected, never existed) are simply absent from the page.
   */
  lookupTweets(ids: readonly string[]): Promise<XTweetPage>
  conversationReplies(
    conversationId: string,
    sinceId: string | null,
    paginationToken?: string,
  ): Promise<XTweetPage>
}

const TWEET_FIELDS = [
  'author_id',
  'conversation_id',
  'created_at',
  'in_reply_to_user_id',
  'referenced_tweets',
  'note_tweet',
  'entities',
] as const
const READ_OPTIONS = {
  max_results: 100,
  'tweet.fields': [...TWEET_FIELDS],
  expansions: ['author_id' as const],
  'user.fields': ['name' as const, 'username' as const],
}
export const DEFAULT_API_URL = 'https://api.x.com'

/**
 * An X API v2 client for one account, on twitter-api-v2. @NOTE the library has no base-URL
 * option and always uses https.request: a plugin rewrites each URL, and an http.Agent is
 * passed when the target is plain http (a local simulator).
 */
export function createXClient(opts: XClientOptions): XClient {
  const apiUrl = (opts.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '')
  const now = opts.now ?? Date.now
  const log = opts.logger ?? connectorLogger.child({ platform: 'x', accountId: opts.accountId })
  const pacer = createPacer(now)
  const api: TwitterApiReadWrite = new TwitterApi(
    opts.accessToken,
    xTransportSettings(apiUrl, opts.timeoutMs ?? 15_000, [rateLimitObserver(pacer)]),
  ).readWrite

  async function run<T>(what: string, hint: XForbiddenHint, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      const mapped = toXPlatformError(err, what, hint, now)
      log.warn({ what, code: mapped.code, status: mapped.status }, 'x call failed')
      throw mapped
    }
  }

  async function setHidden(tweetId: string, hidden: boolean): Promise<ActionResult> {
    const what = `${hidden ? 'hide' : 'unhide'} of reply ${tweetId}`
    const res = await run(what, 'hide', () => api.v2.hideReply(tweetId, hidden))
    if (res.data?.hidden !== hidden) throw notConfirmed(what)
    return { ok: true, platformRef: tweetId }
  }

  function toPage(raw: {
    data?: TweetV2[]
    includes?: XTweetPage['includes']
    meta?: { newest_id?: string; next_token?: string }
  }): XTweetPage {
    return {
      tweets: raw.data ?? [],
      includes: raw.includes ?? {},
      newestId: raw.meta?.newest_id ?? null,
      nextToken: raw.meta?.next_token ?? null,
    }
  }

  const client: XClient = {
    platform: 'x',
    accountId: opts.accountId,
    tier: opts.tier,
    supportedActions: [
      'hide',
      'unhide',
      'mute',
      'reply',
      ...(opts.tier === 'enterprise' ? ['block' as const] : []),
    ],
    nextCallInMs: (action) => pacer.reserve(ENDPOINT_OF_ACTION[action]),
    hideReply: (tweetId) => setHidden(tweetId, true),
    unhideReply: (tweetId) => setHidden(tweetId, false),
    async mute(targetUserId) {
      const what = `mute of user ${targetUserId}`
      const res = await run(what, 'other', () => api.v2.mute(opts.accountId, targetUserId))
      if (res.data?.muting !== true) throw notConfirmed(what)
      return { ok: true, platformRef: `${opts.accountId}/muting/${targetUserId}` }
    },
    async reply(tweetId, message) {
      const what = `reply to tweet ${tweetId}`
      const res = await run(what, 'other', () => api.v2.reply(message, tweetId))
      if (!res.data?.id) throw notConfirmed(what)
      return { ok: true, platformRef: res.data.id }
    },
    async block(targetUserId) {
      const what = `block of user ${targetUserId}`
      if (opts.tier !== 'enterprise') {
        throw toXPlatformErrorForTier(what, opts.tier)
      }
      const res = await run(what, 'block', () => api.v2.block(opts.accountId, targetUserId))
      if (res.data?.blocking !== true) throw notConfirmed(what)
      return { ok: true, platformRef: `${opts.accountId}/blocking/${targetUserId}` }
    },
    async mentions(sinceId, paginationToken) {
      const page = await run('read of mentions', 'other', () =>
        api.v2.userMentionTimeline(opts.accountId, {
          ...READ_OPTIONS,
          ...(sinceId ? { since_id: sinceId } : {}),
          ...(paginationToken ? { pagination_token: paginationToken } : {}),
        }),
      )
      return toPage(page.data)
    },
    async lookupTweets(ids) {
      if (ids.length === 0) return toPage({})
      if (ids.length > 100 || ids.some((id) => !/^\d+$/.test(id))) {
        throw new PlatformError('platform_rejected', 'Tweet lookup takes 1 to 100 numeric ids', {
          platform: 'x',
          retryable: false,
        })
      }
      const { max_results: _, ...fields } = READ_OPTIONS
      // @NOTE ids X cannot return come back in `errors` with a 200, not as a thrown error
      const page = await run(`lookup of ${ids.length} tweets`, 'other', () =>
        api.v2.tweets([...ids], fields),
      )
      return toPage(page)
    },
    async conversationReplies(conversationId, sinceId, paginationToken) {
      if (!/^\d+$/.test(conversationId)) {
        throw new PlatformError('platform_rejected', `Not a conversation id: ${conversationId}`, {
          platform: 'x',
        })
      }
      const page = await run(`search of conversation ${conversationId}`, 'other', () =>
        api.v2.search(`conversation_id:${conversationId}`, {
          ...READ_OPTIONS,
          ...(sinceId ? { since_id: sinceId } : {}),
          ...(paginationToken ? { next_token: paginationToken } : {}),
        }),
      )
      return toPage(page.data)
    },
    perform(action: PlatformAction, target: ActionTarget) {
      switch (action) {
        case 'hide':
          return client.hideReply(target.commentId)
        case 'unhide':
          return client.unhideReply(target.commentId)
        case 'reply':
          return client.reply(target.commentId, target.message ?? '')
        case 'mute':
          return client.mute(target.authorId)
        case 'block':
          return client.block(target.authorId)
        default:
          return Promise.reject(
            unsupportedAction(
              'x',
              action,
              "X does not let an account delete or ban others' posts; hide the reply and mute the author",
            ),
          )
      }
    },
  }
  return client
}

/** X counts its limits per endpoint: the act stage's actions, by the endpoint each calls. */
const ENDPOINT_OF_ACTION: Partial<Record<PlatformAction, string>> = {
  hide: 'hidden',
  unhide: 'hidden',
  mute: 'muting',
  block: 'blocking',
  reply: 'tweets',
}

function endpointOf(method: string, url: URL): string | null {
  // @NOTE the library hands plugins the URL template (`/2/tweets/:id/hidden`), not the id
  const path = url.pathname.replace(/^\/2\//, '').replace(/(^|\/)(\d+|:\w+)(?=\/|$)/g, '$1:id')
  if (path === 'tweets/:id/hidden') return 'hidden'
  if (path === 'users/:id/muting') return 'muting'
  if (path === 'users/:id/blocking') return 'blocking'
  if (method === 'POST' && path === 'tweets') return 'tweets'
  return null
}

/** Feeds every answer's x-rate-limit-remaining and -reset to the pacer, errors included. */
function rateLimitObserver(pacer: Pacer): ITwitterApiClientPlugin {
  const observe = (
    method: string,
    url: URL,
    rateLimit: { remaining: number; reset: number } | undefined,
  ) => {
    const endpoint = endpointOf(method, url)
    if (!endpoint || !rateLimit) return
    pacer.observe({
      kind: 'remaining',
      endpoint,
      remaining: rateLimit.remaining,
      resetAtMs: rateLimit.reset * 1000,
    })
  }
  return {
    onAfterRequest({ params, url, response }) {
      observe(params.method ?? 'GET', url, response.rateLimit)
    },
    onResponseError({ params, url, error }) {
      observe(params.method ?? 'GET', url, error.rateLimit)
    },
  }
}

/**
 * The twitter-api-v2 settings that point it at `apiUrl` (X_API_URL) with a timeout; shared
 * with oauth.ts. Extra plugins run first.
 */
export function xTransportSettings(
  apiUrl: string,
  timeoutMs: number,
  extra: ITwitterApiClientPlugin[] = [],
): Partial<IClientSettings> {
  const base = apiUrl.replace(/\/+$/, '')
  return {
    plugins: [
      ...extra,
      withTimeout(timeoutMs),
      ...(base === DEFAULT_API_URL ? [] : [rewriteBaseUrl(base)]),
    ],
    ...(base.startsWith('http://') ? { httpAgent: new Agent({ keepAlive: true }) } : {}),
  }
}

export function rewriteBaseUrl(apiUrl: string): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig({ params }) {
      // @NOTE mutate params.url, not the URL object: only the former is read afterwards
      params.url = params.url.replace(/^https:\/\/(api|upload)\.(x|twitter)\.com/, apiUrl)
    },
  }
}

function withTimeout(timeoutMs: number): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig({ params }) {
      params.timeout ??= timeoutMs
    },
  }
}

function toXPlatformErrorForTier(what: string, tier: XTier): PlatformError {
  return new PlatformError(
    'platform_forbidden',
    `Cannot ${what}: blocking through the API needs X's Enterprise tier and this account is on "${tier}". Mute the author instead (mute works on every tier)`,
    { platform: 'x', retryable: false },
  )
}

function notConfirmed(what: string): PlatformError {
  return new PlatformError('platform_rejected', `X API did not confirm ${what}`, {
    platform: 'x',
    retryable: false,
  })
}
