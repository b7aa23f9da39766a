import { FacebookAdsApi } from 'facebook-nodejs-business-sdk'
import type { Logger } from 'pino'
import { PlatformError } from '../../errors.js'
import { connectorLogger } from '../../logger.js'
import type { PlatformAction } from '../../pipeline/messages.js'
import { createPacer, graphUsage } from '../pacing.js'
import {
  type ActionResult,
  type ActionTarget,
  type PlatformClient,
  unsupportedAction,
} from './../types.js'
import { toGraphPlatformError } from './graph-errors.js'

export type FacebookClientOptions = {
  /** default https://graph.facebook.com; FACEBOOK_GRAPH_URL points it at a proxy or simulator */
  graphUrl?: string
  apiVersion?: string
  pageToken: string
  pageId: string
  /** a call that takes longer fails as platform_unavailable (retryable); default 15 s */
  timeoutMs?: number
  logger?: Logger
}

export type FacebookClient = PlatformClient & {
  readonly platform: 'facebook'
  hide(commentId: string): Promise<ActionResult>
  unhide(commentId: string): Promise<ActionResult>
  /** DELETE: the comment is gone for everyone, including its author */
  remove(commentId: string): Promise<ActionResult>
  /** bans the person from the Page (Graph calls it "blocked") */
  ban(userId: string): Promise<ActionResult>
  unban(userId: string): Promise<ActionResult>
  /** posts a reply as the Page under the comment; platformRef is the new comment's id */
  reply(commentId: string, message: string): Promise<ActionResult>
}

const SUPPORTED: readonly PlatformAction[] = ['hide', 'unhide', 'delete', 'ban', 'reply']

/**
 * A Graph API client for one Page, on facebook-nodejs-business-sdk. @NOTE each client owns its
 * own FacebookAdsApi instance (never `init`, which replaces the process-wide default) so two
 * Pages with two tokens cannot clobber each other, and the crash reporter stays off: it would
 * hook uncaughtException and post reports to Meta.
 */
export function createFacebookClient(opts: FacebookClientOptions): FacebookClient {
  const graphUrl = (opts.graphUrl ?? FacebookAdsApi.GRAPH).replace(/\/+$/, '')
  const apiVersion = opts.apiVersion ?? 'v24.0'
  const token = opts.pageToken
  const timeoutMs = opts.timeoutMs ?? 15_000
  // @NOTE with headers on, the SDK puts the answer's headers under `headers` in its body
  const api = new FacebookAdsApi(token, 'en_US', false).setShowHeader(true)
  const pacer = createPacer()
  const log = opts.logger ?? connectorLogger.child({ platform: 'facebook', pageId: opts.pageId })

  /**
   * @NOTE a string path makes the SDK use our URL as is (base and version included); it then
   * adds no token, so the query carries it exactly as the SDK's own array form would.
   */
  async function call<T>(
    method: 'GET' | 'POST' | 'DELETE',
    segments: string[],
    params: Record<string, string | boolean>,
    what: string,
  ): Promise<T> {
    const inQuery = method === 'GET' || method === 'DELETE'
    const query = new URLSearchParams({
      ...(inQuery ? stringify(params) : {}),
      access_token: token,
    })
    const path = segments.map(encodeURIComponent).join('/')
    const url = `${graphUrl}/${apiVersion}/${path}?${query}`
    // @NOTE the SDK sets no timeout and takes none; a hung call would hold a worker forever
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new GraphTimeout()), timeoutMs)
    })
    try {
      const res = await Promise.race([
        api.call<unknown>(method, url, inQuery ? {} : params),
        timeout,
      ])
      return withoutHeaders(res) as T
    } catch (err) {
      const mapped =
        err instanceof GraphTimeout
          ? new PlatformError(
              'platform_unavailable',
              `Graph API did not answer ${what} within ${timeoutMs} ms`,
              { platform: 'facebook', retryable: true },
            )
          : toGraphPlatformError(err, what, token)
      // a throttled Page rests as long as Graph says, for every job of this account
      if (mapped.retryAfterMs) {
        pacer.observe({ kind: 'percent', percent: 100, regainMs: mapped.retryAfterMs })
      }
      log.warn(
        { what, code: mapped.code, status: mapped.status, platformCode: mapped.platformCode },
        'graph call failed',
      )
      throw mapped
    } finally {
      clearTimeout(timer)
    }
  }

  function expectSuccess(res: unknown, what: string, ref: string): ActionResult {
    if (isRecord(res) && res.success === true) return { ok: true, platformRef: ref }
    throw new PlatformError('platform_rejected', `Graph API did not confirm ${what}`, {
      platform: 'facebook',
      retryable: false,
    })
  }

  async function setHidden(commentId: string, hidden: boolean): Promise<ActionResult> {
    const what = `${hidden ? 'hide' : 'unhide'} of comment ${commentId}`
    const res = await call('POST', [commentId], { is_hidden: hidden }, what)
    return expectSuccess(res, what, commentId)
  }

  /** the usage headers feed the pacer; the body goes on without them */
  function withoutHeaders(res: unknown): unknown {
    if (!isRecord(res) || !isRecord(res.headers)) return res
    const usage = graphUsage(res.headers)
    if (usage) pacer.observe(usage)
    const { headers: _headers, ...body } = res
    return body
  }

  const client: FacebookClient = {
    platform: 'facebook',
    accountId: opts.pageId,
    supportedActions: SUPPORTED,
    nextCallInMs: () => pacer.reserve(),
    hide: (commentId) => setHidden(commentId, true),
    unhide: (commentId) => setHidden(commentId, false),
    async remove(commentId) {
      const what = `delete of comment ${commentId}`
      return expectSuccess(await call('DELETE', [commentId], {}, what), what, commentId)
    },
    async ban(userId) {
      const what = `ban of user ${userId} from Page ${opts.pageId}`
      const res = await call('POST', [opts.pageId, 'blocked'], { user: userId }, what)
      if (isRecord(res) && (res[userId] === true || res.success === true)) {
        return { ok: true, platformRef: `${opts.pageId}/blocked/${userId}` }
      }
      throw new PlatformError('platform_rejected', `Graph API did not confirm ${what}`, {
        platform: 'facebook',
        retryable: false,
      })
    },
    async unban(userId) {
      const what = `unban of user ${userId} from Page ${opts.pageId}`
      const res = await call('DELETE', [opts.pageId, 'blocked'], { user: userId }, what)
      return expectSuccess(res, what, `${opts.pageId}/blocked/${userId}`)
    },
    async reply(commentId, message) {
      const what = `reply to comment ${commentId}`
      const res = await call('POST', [commentId, 'comments'], { message }, what)
      if (isRecord(res) && typeof res.id === 'string') return { ok: true, platformRef: res.id }
      throw new PlatformError('platform_rejected', `Graph API did not confirm ${what}`, {
        platform: 'facebook',
        retryable: false,
      })
    },
    async visibilityOf(commentId) {
      try {
        const res = await call('GET', [commentId], { fields: 'is_hidden' }, `read of ${commentId}`)
        return isRecord(res) && res.is_hidden === true ? 'hidden' : 'visible'
      } catch (err) {
        if (err instanceof PlatformError && err.code === 'platform_object_gone') return 'gone'
        throw err
      }
    },
    perform(action: PlatformAction, target: ActionTarget) {
      switch (action) {
        case 'hide':
          return client.hide(target.commentId)
        case 'unhide':
          return client.unhide(target.commentId)
        case 'delete':
          return client.remove(target.commentId)
        case 'ban':
          return client.ban(target.authorId)
        case 'reply':
          return client.reply(target.commentId, target.message ?? '')
        default:
          return Promise.reject(
            unsupportedAction(
              'facebook',
              action,
              'a Page can hide, delete or ban, not mute or block',
            ),
          )
      }
    },
  }
  return client
}

class GraphTimeout extends Error {}

function stringify(params: Record<string, string | boolean>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}
