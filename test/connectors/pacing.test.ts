import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFacebookClient } from '../../src/connectors/facebook/client.js'
import { createPacer, graphUsage } from '../../src/connectors/pacing.js'
import { createXClient } from '../../src/connectors/x/client.js'
import { type GraphSimulator, startGraphSimulator } from '../simulators/graph-sim.js'
import { startXSimulator, type XSimulator } from '../simulators/x-sim.js'

const PAGE = '100000000000001'
const TOKEN = 'EAAB-token-for-pacing-0123456789'
const jane = { id: '7001', name: 'Jane Resident' }

describe('reading the platforms’ usage headers', () => {
  it('takes the highest of Graph’s Page and app percentages, and the time to regain access', () => {
    const signal = graphUsage({
      'x-business-use-case-usage': JSON.stringify({
        [PAGE]: [{ type: 'pages', call_count: 41, total_cputime: 12, total_time: 88 }],
      }),
      'x-app-usage': JSON.stringify({ call_count: 60, total_time: 5, total_cputime: 3 }),
    })
    expect(signal).toEqual({ kind: 'percent', percent: 88, regainMs: null })
    const throttled = graphUsage({
      'x-business-use-case-usage': JSON.stringify({
        [PAGE]: [{ call_count: 100, estimated_time_to_regain_access: 3 }],
      }),
    })
    expect(throttled?.regainMs).toBe(180_000)
    expect(graphUsage({ 'x-app-usage': 'not json' })).toBeNull()
    expect(graphUsage({})).toBeNull()
  })

  it('goes at once when there is room, spaces calls as the budget fills, rests when it is full', () => {
    let t = 1_000_000
    const pacer = createPacer(() => t)
    pacer.observe({ kind: 'percent', percent: 20, regainMs: null })
    expect([pacer.reserve(), pacer.reserve(), pacer.reserve()]).toEqual([0, 0, 0])
    pacer.observe({ kind: 'percent', percent: 90, regainMs: null })
    expect(pacer.reserve()).toBeGreaterThan(0)
    t += 1_000
    expect(pacer.reserve()).toBe(0)
    expect(pacer.reserve()).toBe(1_000)
    pacer.observe({ kind: 'percent', percent: 100, regainMs: 120_000 })
    t += 5_000
    expect(pacer.reserve()).toBe(115_000)
  })

  it('stops an X endpoint when no calls are left until its reset, and only that endpoint', () => {
    let t = 1_000_000
    const pacer = createPacer(() => t)
    pacer.observe({ kind: 'remaining', endpoint: 'hidden', remaining: 1, resetAtMs: t + 60_000 })
    expect(pacer.reserve('hidden')).toBe(0)
    expect(pacer.reserve('hidden')).toBe(60_000)
    expect(pacer.reserve('muting')).toBe(0)
    t += 60_001
    expect(pacer.reserve('hidden')).toBe(0)
  })
})

describe('a Page client paced by Graph’s own headers', () => {
  let graph: GraphSimulator
  beforeAll(async () => {
    graph = await startGraphSimulator({ pages: { [PAGE]: TOKEN } })
  })
  afterAll(() => graph.stop())

  const seedMany = (n: number, pageId = PAGE) =>
    Array.from({ length: n }, () =>
      graph.state.seedComment({ pageId, from: jane, message: 'a comment' }),
    )

  it('hides until the Page budget is nearly spent, then waits instead of being throttled', async () => {
    graph.usage.limits = { callsPerWindow: 20, windowMs: 60_000 }
    graph.usage.throttled = 0
    const client = createFacebookClient({ graphUrl: graph.url, pageToken: TOKEN, pageId: PAGE })
    let hidden = 0
    let waitMs = 0
    for (const comment of seedMany(30)) {
      // a worker asks before each call, and waits out the answer rather than calling
      waitMs = client.nextCallInMs?.('hide') ?? 0
      while (waitMs > 0 && waitMs <= 1_000) {
        await new Promise((r) => setTimeout(r, waitMs))
        waitMs = client.nextCallInMs?.('hide') ?? 0
      }
      if (waitMs > 0) break
      await client.hide(comment.id)
      hidden += 1
    }
    expect(hidden).toBeGreaterThanOrEqual(18)
    expect(hidden).toBeLessThan(20)
    expect(waitMs).toBeGreaterThan(1_000)
    expect(graph.usage.throttled).toBe(0)
  })

  it('(the simulator does throttle a client that does not ask)', async () => {
    graph.usage.limits = { callsPerWindow: 5, windowMs: 60_000 }
    graph.usage.throttled = 0
    const other = '100000000000009'
    const otherToken = 'EAAB-other-page-token-000000000'
    graph.state.addPage(other, otherToken)
    const client = createFacebookClient({
      graphUrl: graph.url,
      pageToken: otherToken,
      pageId: other,
    })
    const results = await Promise.allSettled(seedMany(8, other).map((c) => client.hide(c.id)))
    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0)
    expect(graph.usage.throttled).toBeGreaterThan(0)
  })
})

describe('an X client paced by x-rate-limit headers', () => {
  let x: XSimulator
  const ME = '2001'
  const X_TOKEN = 'oauth2-user-token-pacing-0123456789'
  beforeAll(async () => {
    x = await startXSimulator({ limits: { hide: 3 } })
    x.state.addUser({ id: ME, username: 'cllr_pace', token: X_TOKEN, tier: 'basic' })
    x.state.addUser({ id: '5001', username: 'resident_one' })
  })
  afterAll(() => x.stop())

  it('hides while calls are left, then waits for the window to reset instead of a 429', async () => {
    const post = x.state.addTweet({ authorId: ME, text: 'Road closures this weekend' }).id
    const client = createXClient({
      apiUrl: x.url,
      accessToken: X_TOKEN,
      accountId: ME,
      tier: 'basic',
    })
    const replies = Array.from({ length: 5 }, () =>
      x.state.addTweet({ authorId: '5001', text: 'rubbish', replyTo: post }),
    )
    let hidden = 0
    for (const reply of replies) {
      if ((client.nextCallInMs?.('hide') ?? 0) > 0) break
      await client.hideReply(reply.id)
      hidden += 1
    }
    expect(hidden).toBe(3)
    expect(client.nextCallInMs?.('hide')).toBeGreaterThan(60_000)
    expect(client.nextCallInMs?.('mute')).toBe(0)
    expect(x.requests.filter((r) => r.path.endsWith('/hidden'))).toHaveLength(3)
  })
})
