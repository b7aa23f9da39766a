import type { ServerResponse } from 'node:http'
import { type Answered, type ParsedRequest, sendJson } from './sim-http.js'
import { v2TweetJson, type XSimState, type XSimTweet, type XSimUser } from './x-sim-state.js'

/** Read endpoints of the X simulator and the helpers its routes share. */
export type Handler = (
  state: XSimState,
  user: XSimUser,
  req: ParsedRequest,
  res: ServerResponse,
  rate: Record<string, string>,
) => Answered

export const search: Handler = (state, _user, req, res, rate) => {
  const query = req.query.query ?? ''
  if (!query || query.length > 512)
    return problem(res, 400, 'Invalid Request', 'query must be 1 to 512 characters.', rate)
  const conversations = [...query.matchAll(/conversation_id:(\d+)/g)].map((g) => g[1])
  const to = /(?:^|\s)to:(\w+)/.exec(query)?.[1]
  const from = /(?:^|\s)from:(\w+)/.exec(query)?.[1]
  const toId = to ? (state.userByName(to)?.id ?? '-') : null
  const fromId = from ? (state.userByName(from)?.id ?? '-') : null
  const accept = (t: XSimTweet) =>
    (conversations.length === 0 || conversations.includes(t.conversationId)) &&
    (toId === null || t.inReplyToUserId === toId) &&
    (fromId === null || t.authorId === fromId) &&
    (!/(?:^|\s)is:reply/.test(query) || t.inReplyToTweetId !== null) &&
    (!/-is:retweet/.test(query) || t.retweetOf === null)
  return timeline(state, req, res, rate, accept, [10, 10])
}

/**
 * GET /2/tweets?ids=…: tweet lookup. Like X, ids it cannot return are listed in `errors` with a
 * 200, and a request with no ids, more than 100 or a non-numeric one is a 400.
 */
export const lookup: Handler = (state, _user, req, res, rate) => {
  const ids = (req.query.ids ?? '').split(',').filter(Boolean)
  if (ids.length === 0 || ids.length > 100 || ids.some((id) => !/^\d+$/.test(id))) {
    return problem(res, 400, 'Invalid Request', 'ids must be 1 to 100 numeric ids.', rate)
  }
  const found = ids.map((id) => state.tweet(id)).filter(Boolean) as XSimTweet[]
  const missing = ids.filter((id) => !state.tweet(id))
  const fields = new Set((req.query['tweet.fields'] ?? '').split(',').filter(Boolean))
  const expand = (req.query.expansions ?? '').split(',').includes('author_id')
  const authors = [...new Set(found.map((t) => t.authorId))]
    .map((id) => state.users.get(id))
    .filter(Boolean) as XSimUser[]
  const body = {
    ...(found.length ? { data: found.map((t) => v2TweetJson(t, fields)) } : {}),
    ...(expand && authors.length ? { includes: { users: authors.map(userJson) } } : {}),
    ...(missing.length
      ? {
          errors: missing.map((id) => ({
            value: id,
            detail: `Could not find tweet with ids: [${id}].`,
            title: 'Not Found Error',
            resource_type: 'tweet',
            parameter: 'ids',
            resource_id: id,
            type: 'https://api.twitter.com/2/problems/resource-not-found',
          })),
        }
      : {}),
  }
  return sendJson(res, 200, body, rate)
}

/** Newest first, `since_id`/`until_id`, pages of max_results, opaque tokens; meta like X. */
export function timeline(
  state: XSimState,
  req: ParsedRequest,
  res: ServerResponse,
  rate: Record<string, string>,
  accept: (t: XSimTweet) => boolean,
  [min, fallback]: [number, number],
): Answered {
  const q = req.query
  const max = q.max_results ? Number(q.max_results) : fallback
  if (!Number.isInteger(max) || max < min || max > 100) {
    return problem(res, 400, 'Invalid Request', `max_results must be between ${min} and 100.`, rate)
  }
  const token = q.pagination_token ?? q.next_token
  const before = token ? Buffer.from(token, 'base64url').toString() : q.until_id
  const all = [...state.tweets.values()]
    .filter(
      (t) =>
        accept(t) &&
        (!q.since_id || cmp(t.id, q.since_id) > 0) &&
        (!before || cmp(t.id, before) < 0),
    )
    .sort((a, b) => cmp(b.id, a.id))
  const page = all.slice(0, max)
  const fields = new Set((q['tweet.fields'] ?? '').split(',').filter(Boolean))
  const expand = (q.expansions ?? '').split(',').includes('author_id')
  const authors = [...new Set(page.map((t) => t.authorId))]
    .map((id) => state.users.get(id))
    .filter(Boolean) as XSimUser[]
  const last = page.at(-1)
  return sendJson(
    res,
    200,
    {
      ...(page.length ? { data: page.map((t) => v2TweetJson(t, fields)) } : {}),
      ...(expand && authors.length ? { includes: { users: authors.map(userJson) } } : {}),
      meta: {
        result_count: page.length,
        ...(page.length ? { newest_id: page[0]!.id, oldest_id: last!.id } : {}),
        ...(all.length > max && last
          ? { next_token: Buffer.from(last.id).toString('base64url') }
          : {}),
      },
    },
    rate,
  )
}

export function problem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Answered {
  return sendJson(res, status, { title, detail, type: 'about:blank', status, ...extra }, headers)
}

export function userJson(user: XSimUser): Record<string, string> {
  return { id: user.id, name: user.name, username: user.username }
}

export function cmp(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0
}
