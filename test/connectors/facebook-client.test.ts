import { FacebookAdsApi } from 'facebook-nodejs-business-sdk'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createFacebookClient } from '../../src/connectors/facebook/client.js'
import { platformFailure } from '../helpers/rejection.js'
import { type GraphSimulator, startGraphSimulator } from '../simulators/graph-sim.js'

const PAGE_A = '100000000000001'
const PAGE_B = '100000000000002'
const TOKEN_A = 'EAAB-token-for-page-a-0123456789'
const TOKEN_B = 'EAAB-token-for-page-b-9876543210'
const jane = { id: '7001', name: 'Jane Resident' }

let sim: GraphSimulator
beforeAll(async () => {
  sim = await startGraphSimulator({ pages: { [PAGE_A]: TOKEN_A, [PAGE_B]: TOKEN_B } })
})
afterAll(() => sim.stop())
beforeEach(() => {
  sim.faults.length = 0
  sim.requests.length = 0
})

const clientA = () =>
  createFacebookClient({ graphUrl: sim.url, pageToken: TOKEN_A, pageId: PAGE_A })
const seed = (pageId = PAGE_A) =>
  sim.state.seedComment({ pageId, from: jane, message: 'a comment' })

const failure = platformFailure

describe('facebook client', () => {
  it('hides and unhides a comment at Graph and returns the comment id for the audit', async () => {
    const comment = seed()
    const client = clientA()
    expect(await client.hide(comment.id)).toEqual({ ok: true, platformRef: comment.id })
    expect(sim.state.comment(comment.id)?.isHidden).toBe(true)
    await client.unhide(comment.id)
    expect(sim.state.comment(comment.id)?.isHidden).toBe(false)
    expect(sim.requests[0]).toMatchObject({
      method: 'POST',
      path: `/v24.0/${comment.id}`,
      query: {},
      body: { is_hidden: true },
      as: PAGE_A,
    })
  })

  it('deletes a comment, and reports a second delete as object gone', async () => {
    const comment = seed()
    const client = clientA()
    await client.perform('delete', { commentId: comment.id, authorId: jane.id })
    expect(sim.state.comment(comment.id)?.deleted).toBe(true)
    const err = await failure(client.remove(comment.id))
    expect(err).toMatchObject({ code: 'platform_object_gone', retryable: false, platformCode: 100 })
  })

  it('bans the author from the Page and replies under a comment as the Page', async () => {
    const comment = seed()
    const client = clientA()
    expect(await client.perform('ban', { commentId: comment.id, authorId: jane.id })).toEqual({
      ok: true,
      platformRef: `${PAGE_A}/blocked/${jane.id}`,
    })
    expect(sim.state.isBanned(PAGE_A, jane.id)).toBe(true)
    const reply = await client.reply(comment.id, 'We hid this because it names a private person.')
    expect(sim.state.comment(reply.platformRef)).toMatchObject({
      parentId: comment.id,
      from: { id: PAGE_A },
      message: 'We hid this because it names a private person.',
    })
  })

  it('refuses mute and block, which Pages do not have, without calling Graph', async () => {
    const err = await failure(clientA().perform('mute', { commentId: '1_1', authorId: jane.id }))
    expect(err).toMatchObject({ code: 'platform_forbidden', retryable: false })
    expect(sim.requests).toEqual([])
    expect(clientA().supportedActions).toEqual(['hide', 'unhide', 'delete', 'ban', 'reply'])
  })

  it.each([
    { status: 400, code: 4 },
    { status: 400, code: 17 },
    { status: 400, code: 32 },
    { status: 400, code: 613, subcode: 1996 },
    { status: 429, code: 80001 },
  ])('maps Graph $status code $code to platform_throttled, retryable', async (fault) => {
    sim.faults.push(fault)
    const err = await failure(clientA().hide(seed().id))
    expect(err).toMatchObject({ code: 'platform_throttled', retryable: true, status: fault.status })
  })

  it('takes retryAfterMs from the Business Use Case header or Retry-After', async () => {
    const usage = {
      [PAGE_A]: [{ type: 'pages', call_count: 100, estimated_time_to_regain_access: 7 }],
    }
    sim.faults.push(
      { status: 400, code: 32, headers: { 'x-business-use-case-usage': JSON.stringify(usage) } },
      { status: 429, code: 4, headers: { 'retry-after': '12' } },
    )
    expect((await failure(clientA().hide(seed().id))).retryAfterMs).toBe(7 * 60_000)
    expect((await failure(clientA().hide(seed().id))).retryAfterMs).toBe(12_000)
  })

  it.each([
    [{ status: 400, code: 190, subcode: 463 }, 'platform_token_invalid', false],
    [{ status: 400, code: 102 }, 'platform_token_invalid', false],
    [{ status: 400, code: 100, subcode: 33 }, 'platform_object_gone', false],
    [{ status: 500, code: 2 }, 'platform_unavailable', true],
    [{ status: 503, code: 1 }, 'platform_unavailable', true],
    [{ status: 502, raw: '<html>Bad Gateway</html>' }, 'platform_unavailable', true],
    [{ drop: true }, 'platform_unavailable', true],
    [{ status: 403, code: 10 }, 'platform_forbidden', false],
    [{ status: 403, code: 200 }, 'platform_forbidden', false],
    [{ status: 400, code: 368 }, 'platform_rejected', false],
  ] as const)('maps the Graph fault %o to %s', async (fault, code, retryable) => {
    sim.faults.push({ ...fault })
    const err = await failure(clientA().hide(seed().id))
    expect(err).toMatchObject({ code, retryable, platform: 'facebook' })
  })

  it('reports a wrong token as token_invalid with no token in the message or cause', async () => {
    const wrong = 'EAAB-expired-token-ABCDEFGHIJ'
    const client = createFacebookClient({ graphUrl: sim.url, pageToken: wrong, pageId: PAGE_A })
    const err = await failure(client.hide(seed().id))
    expect(err.code).toBe('platform_token_invalid')
    expect(err.platformCode).toBe(190)
    const everything = `${err.message} ${err.stack} ${JSON.stringify(err)} ${JSON.stringify(err.cause)}`
    expect(everything).not.toContain(wrong)
    expect(everything).not.toContain('access_token=')
  })

  it('scrubs a token that Graph echoes back in its error message', async () => {
    sim.faults.push({
      status: 400,
      code: 100,
      message: `Bad request https://graph.facebook.com/v24.0/1?access_token=${TOKEN_A} for ${TOKEN_A}`,
    })
    const err = await failure(clientA().hide(seed().id))
    expect(err.message).not.toContain(TOKEN_A)
    expect(err.message).toContain('[redacted]')
  })

  it('keeps two Pages with two tokens apart, even when used concurrently', async () => {
    const a = clientA()
    const b = createFacebookClient({ graphUrl: sim.url, pageToken: TOKEN_B, pageId: PAGE_B })
    const onA = [seed(PAGE_A), seed(PAGE_A), seed(PAGE_A)]
    const onB = [seed(PAGE_B), seed(PAGE_B), seed(PAGE_B)]
    await Promise.all([...onA.map((c) => a.hide(c.id)), ...onB.map((c) => b.hide(c.id))])
    expect([...onA, ...onB].every((c) => sim.state.comment(c.id)?.isHidden)).toBe(true)
    const byPage = (page: string) => sim.requests.filter((r) => r.as === page).map((r) => r.path)
    expect(byPage(PAGE_A).sort()).toEqual(onA.map((c) => `/v24.0/${c.id}`).sort())
    expect(byPage(PAGE_B).sort()).toEqual(onB.map((c) => `/v24.0/${c.id}`).sort())
    // @NOTE client A still carries token A after B was made: B's comment is not A's to hide
    expect((await failure(a.hide(onB[0]!.id))).code).toBe('platform_object_gone')
    expect(FacebookAdsApi.getDefaultApi()).toBeUndefined()
  })

  it('gives up on a Graph call that hangs, as platform_unavailable', async () => {
    sim.faults.push({ delayMs: 400 })
    const client = createFacebookClient({
      graphUrl: sim.url,
      pageToken: TOKEN_A,
      pageId: PAGE_A,
      timeoutMs: 50,
    })
    const err = await failure(client.hide(seed().id))
    expect(err).toMatchObject({ code: 'platform_unavailable', retryable: true })
    expect(err.message).toMatch(/did not answer .* within 50 ms/)
  })

  it('honours another Graph API version in the path', async () => {
    const client = createFacebookClient({
      graphUrl: `${sim.url}/`,
      apiVersion: 'v25.0',
      pageToken: TOKEN_A,
      pageId: PAGE_A,
    })
    const comment = seed()
    await client.remove(comment.id)
    expect(sim.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/v25.0/${comment.id}` })
  })
})
