import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createXClient, type XTier } from '../../src/connectors/x/client.js'
import { platformFailure } from '../helpers/rejection.js'
import { startXSimulator, type XSimulator } from '../simulators/x-sim.js'

const ME = '2001'
const TOKEN = 'oauth2-user-token-cllr-patel-0123456789'
let sim: XSimulator
let post: string

beforeAll(async () => {
  sim = await startXSimulator()
  sim.state.addUser({ id: ME, username: 'cllr_patel', token: TOKEN, tier: 'basic' })
  sim.state.addUser({
    id: '3001',
    username: 'big_boss',
    token: 'enterprise-token',
    tier: 'enterprise',
  })
  sim.state.addUser({ id: '5001', username: 'resident_one' })
  sim.state.addUser({ id: '5002', username: 'someone_else' })
  post = sim.state.addTweet({ authorId: ME, text: 'Road closures this weekend' }).id
})
afterAll(() => sim.stop())
beforeEach(() => {
  sim.faults.length = 0
  sim.requests.length = 0
})

const client = (tier: XTier = 'basic', accessToken = TOKEN, accountId = ME) =>
  createXClient({ apiUrl: sim.url, accessToken, accountId, tier })

const failure = platformFailure

describe('x client', () => {
  it('hides and unhides a reply to the account’s own post', async () => {
    const reply = sim.state.addTweet({ authorId: '5001', text: 'rubbish', replyTo: post })
    expect(await client().hideReply(reply.id)).toEqual({ ok: true, platformRef: reply.id })
    expect(sim.state.tweet(reply.id)?.hidden).toBe(true)
    await client().perform('unhide', { commentId: reply.id, authorId: '5001' })
    expect(sim.state.tweet(reply.id)?.hidden).toBe(false)
    expect(sim.requests[0]).toMatchObject({
      method: 'PUT',
      path: `/2/tweets/${reply.id}/hidden`,
      body: { hidden: true },
      as: ME,
    })
  })

  it('explains that hiding only works in the account’s own conversations when X says 403', async () => {
    const theirs = sim.state.addTweet({ authorId: '5002', text: 'my own thread' })
    const reply = sim.state.addTweet({
      authorId: '5001',
      text: '@cllr_patel look',
      replyTo: theirs.id,
    })
    const err = await failure(client().hideReply(reply.id))
    expect(err).toMatchObject({ code: 'platform_forbidden', retryable: false, status: 403 })
    expect(err.message).toMatch(/only .*hide replies in conversations started by its own posts/)
    expect(sim.state.tweet(reply.id)?.hidden).toBe(false)
  })

  it('mutes an author on any tier', async () => {
    const result = await client().perform('mute', { commentId: '1', authorId: '5001' })
    expect(result).toEqual({ ok: true, platformRef: `${ME}/muting/5001` })
    expect(sim.state.isMuted(ME, '5001')).toBe(true)
  })

  it('refuses to block below Enterprise with a plain message, without calling X', async () => {
    const basic = client('basic')
    expect(basic.supportedActions).not.toContain('block')
    const err = await failure(basic.block('5001'))
    expect(err.code).toBe('platform_forbidden')
    expect(err.message).toContain("needs X's Enterprise tier")
    expect(err.message).toMatch(/mute/i)
    expect(sim.requests).toEqual([])
  })

  it('maps X’s own 403 for block to the same plain message when the tier is misconfigured', async () => {
    const err = await failure(client('enterprise').block('5001'))
    expect(err).toMatchObject({ code: 'platform_forbidden', status: 403 })
    expect(err.message).toContain("needs X's Enterprise tier")
    expect(sim.state.isBlocked(ME, '5001')).toBe(false)
  })

  it('blocks on an Enterprise account', async () => {
    const boss = client('enterprise', 'enterprise-token', '3001')
    expect(boss.supportedActions).toContain('block')
    await boss.perform('block', { commentId: '1', authorId: '5001' })
    expect(sim.state.isBlocked('3001', '5001')).toBe(true)
  })

  it('turns a 429 into platform_throttled with retryAfterMs from x-rate-limit-reset', async () => {
    sim.faults.push({ status: 429, resetInSeconds: 30 })
    const err = await failure(client().mute('5001'))
    expect(err).toMatchObject({ code: 'platform_throttled', retryable: true, status: 429 })
    expect(err.retryAfterMs).toBeGreaterThan(28_000)
    expect(err.retryAfterMs).toBeLessThanOrEqual(31_000)
  })

  it('is throttled by the simulator’s own window once the limit is used up', async () => {
    const limited = await startXSimulator({ limits: { hide: 1 } })
    try {
      limited.state.addUser({ id: ME, username: 'cllr_patel', token: TOKEN })
      limited.state.addUser({ id: '5001', username: 'resident_one' })
      const own = limited.state.addTweet({ authorId: ME, text: 'post' })
      const r = limited.state.addTweet({ authorId: '5001', text: 'x', replyTo: own.id })
      const c = createXClient({
        apiUrl: limited.url,
        accessToken: TOKEN,
        accountId: ME,
        tier: 'basic',
      })
      await c.hideReply(r.id)
      const err = await failure(c.hideReply(r.id))
      expect(err.code).toBe('platform_throttled')
      expect(err.retryAfterMs).toBeGreaterThan(14 * 60_000)
    } finally {
      await limited.stop()
    }
  })

  it.each([
    [{ status: 503 }, 'platform_unavailable', true],
    [{ status: 500 }, 'platform_unavailable', true],
    [{ drop: true }, 'platform_unavailable', true],
    [{ status: 400, body: { title: 'Invalid Request' } }, 'platform_rejected', false],
  ] as const)('maps the X fault %o to %s', async (fault, code, retryable) => {
    sim.faults.push({ ...fault })
    const err = await failure(client().mute('5001'))
    expect(err).toMatchObject({ code, retryable, platform: 'x' })
  })

  it('reports a rejected token as token_invalid with no token anywhere in the error', async () => {
    const wrong = 'oauth2-user-token-revoked-ABCDEFGHIJ'
    const err = await failure(client('basic', wrong).hideReply(post))
    expect(err).toMatchObject({ code: 'platform_token_invalid', retryable: false, status: 401 })
    const everything = `${err.message} ${err.stack} ${JSON.stringify(err)} ${JSON.stringify(err.cause)}`
    expect(everything).not.toContain(wrong)
  })

  it('gives up on an X call that hangs, as platform_unavailable', async () => {
    sim.faults.push({ delayMs: 400 })
    const slow = createXClient({
      apiUrl: sim.url,
      accessToken: TOKEN,
      accountId: ME,
      tier: 'basic',
      timeoutMs: 50,
    })
    const err = await failure(slow.mute('5001'))
    expect(err).toMatchObject({ code: 'platform_unavailable', retryable: true })
  })

  it('reports an unknown tweet as object gone', async () => {
    const err = await failure(client().hideReply('1999999999999999999'))
    expect(err.code).toBe('platform_object_gone')
  })

  it('refuses delete and ban, which X does not offer, suggesting hide and mute', async () => {
    const err = await failure(client().perform('delete', { commentId: post, authorId: '5001' }))
    expect(err.code).toBe('platform_forbidden')
    expect(err.message).toMatch(/hide the reply and mute/)
  })

  it('reads mentions since an id, with authors expanded and the newest id', async () => {
    const first = sim.state.addTweet({ authorId: '5001', text: 'hey @cllr_patel' })
    const second = sim.state.addTweet({ authorId: '5002', text: 'reply', replyTo: post })
    const page = await client().mentions(first.id)
    expect(page.tweets.map((t) => t.id)).toEqual([second.id])
    expect(page.tweets[0]).toMatchObject({
      author_id: '5002',
      conversation_id: post,
      in_reply_to_user_id: ME,
    })
    expect(page.includes.users).toEqual([
      { id: '5002', name: 'someone_else', username: 'someone_else' },
    ])
    expect(page.newestId).toBe(second.id)
    expect(page.nextToken).toBeNull()
    const all = await client().mentions(null)
    expect(all.tweets.map((t) => t.id)).toContain(first.id)
  })

  it('searches a conversation for replies since an id', async () => {
    const a = sim.state.addTweet({ authorId: '5001', text: 'first', replyTo: post })
    const b = sim.state.addTweet({ authorId: '5002', text: 'reply to reply', replyTo: a.id })
    const page = await client().conversationReplies(post, a.id)
    expect(page.tweets.map((t) => t.id)).toEqual([b.id])
    expect(sim.requests.at(-1)).toMatchObject({
      path: '/2/tweets/search/recent',
      query: { query: `conversation_id:${post}`, since_id: a.id },
    })
  })
})

describe('x client replies', () => {
  it('posts the explanation as a reply from the account, under the reply it answers', async () => {
    const troll = sim.state.addTweet({
      authorId: '5001',
      text: '@cllr_patel rubbish',
      replyTo: post,
    })
    const res = await client().perform('reply', {
      commentId: troll.id,
      authorId: '5001',
      message: 'Hidden: personal abuse breaks our posting guidelines.',
    })
    const posted = sim.state.tweet(res.platformRef)
    expect(posted?.authorId).toBe(ME)
    expect(posted?.inReplyToTweetId).toBe(troll.id)
    expect(posted?.text).toBe('Hidden: personal abuse breaks our posting guidelines.')
  })
})
