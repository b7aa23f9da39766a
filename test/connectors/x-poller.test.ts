import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { IngestDelivery } from '../../src/connectors/types.js'
import { createXClient } from '../../src/connectors/x/client.js'
import {
  createXPoller,
  pollXAccountOnce,
  type XCursorStore,
} from '../../src/connectors/x/poller.js'
import type { CommentEnvelope } from '../../src/pipeline/messages.js'
import { startXSimulator, type XSimulator } from '../simulators/x-sim.js'

const ME = '2001'
const TOKEN = 'poll-token'
let sim: XSimulator
let post: string

beforeEach(async () => {
  sim = await startXSimulator()
  sim.state.addUser({ id: ME, username: 'cllr_patel', token: TOKEN })
  sim.state.addUser({ id: '5001', username: 'resident_one', name: 'Resident One' })
  sim.state.addUser({ id: '5002', username: 'resident_two' })
  post = sim.state.addTweet({ authorId: ME, text: 'Consultation on the new library' }).id
})
afterEach(() => sim.stop())

/** A cursor store that outlives pollers, like Redis would, and a log of what happened when. */
function harness() {
  const events: string[] = []
  let saved: string | null = null
  const cursor: XCursorStore = {
    get: async () => saved,
    set: async (id) => {
      events.push(`set:${id}`)
      saved = id
    },
  }
  const ingested: CommentEnvelope[] = []
  const ingest = async (comments: CommentEnvelope[], _d: IngestDelivery) => {
    events.push(`ingest:${comments.length}`)
    ingested.push(...comments)
  }
  return { events, cursor, ingested, ingest, saved: () => saved }
}

const client = () =>
  createXClient({ apiUrl: sim.url, accessToken: TOKEN, accountId: ME, tier: 'basic' })
const reply = (author: string, text: string, to = post) =>
  sim.state.addTweet({ authorId: author, text, replyTo: to }).id

describe('x poller', () => {
  it('ingests replies and mentions oldest-first, then saves the newest id', async () => {
    const h = harness()
    const ids = [
      reply('5001', 'first'),
      sim.state.addTweet({ authorId: '5002', text: 'hey @cllr_patel' }).id,
      reply('5002', 'third'),
    ]
    reply(ME, 'thanks, all') // the account's own reply is not moderated
    const result = await pollXAccountOnce({
      client: client(),
      accountId: ME,
      cursor: h.cursor,
      ingest: h.ingest,
    })
    expect(h.ingested.map((c) => c.commentId)).toEqual(ids)
    expect(h.ingested[0]).toMatchObject({
      source: 'poller',
      postId: post,
      author: { name: 'Resident One' },
    })
    expect(h.events).toEqual(['ingest:3', `set:${ids[2]}`])
    expect(result).toMatchObject({ fetched: 3, ingested: 3, sinceId: null, backoffMs: null })
  })

  it('keeps the cursor when ingest fails, so the next round fetches the same tweets again', async () => {
    const h = harness()
    const first = reply('5001', 'one')
    await pollXAccountOnce({ client: client(), accountId: ME, cursor: h.cursor, ingest: h.ingest })
    const lost = [reply('5001', 'two'), reply('5002', 'three')]
    const crash = async () => {
      throw new Error('redis went away')
    }
    await expect(
      pollXAccountOnce({ client: client(), accountId: ME, cursor: h.cursor, ingest: crash }),
    ).rejects.toThrow('redis went away')
    expect(h.saved()).toBe(first)
    await pollXAccountOnce({ client: client(), accountId: ME, cursor: h.cursor, ingest: h.ingest })
    expect(h.ingested.map((c) => c.commentId)).toEqual([first, ...lost])
    expect(h.saved()).toBe(lost[1])
  })

  it('resumes after a restart from the saved since_id: no repeats and no misses', async () => {
    const h = harness()
    const before = [reply('5001', 'a'), reply('5002', 'b')]
    const firstPoller = createXPoller({
      client: client(),
      accountId: ME,
      cursor: h.cursor,
      ingest: h.ingest,
      intervalMs: 60_000,
    })
    await firstPoller.pollNow()
    await firstPoller.stop()
    const during = [
      reply('5001', 'c'),
      sim.state.addTweet({ authorId: '5002', text: '@cllr_patel d' }).id,
    ]
    const restarted = createXPoller({
      client: createXClient({ apiUrl: sim.url, accessToken: TOKEN, accountId: ME, tier: 'basic' }),
      accountId: ME,
      cursor: h.cursor,
      ingest: h.ingest,
      intervalMs: 60_000,
    })
    const result = await restarted.pollNow()
    expect(result).toMatchObject({ sinceId: before[1], ingested: 2 })
    expect(h.ingested.map((c) => c.commentId)).toEqual([...before, ...during])
    expect(await restarted.pollNow()).toMatchObject({ fetched: 0, ingested: 0 })
    expect(h.events.filter((e) => e.startsWith('ingest'))).toEqual(['ingest:2', 'ingest:2'])
    const mentionCalls = sim.requests.filter((r) => r.path.endsWith('/mentions'))
    expect(mentionCalls.map((r) => r.query.since_id)).toEqual([undefined, before[1], during[1]])
  })

  it('pages through a large backlog since the cursor and still ingests oldest-first', async () => {
    const h = harness()
    reply('5001', 'seen before')
    await pollXAccountOnce({ client: client(), accountId: ME, cursor: h.cursor, ingest: h.ingest })
    const burst = Array.from({ length: 230 }, (_, i) =>
      reply(i % 2 ? '5001' : '5002', `pile-on ${i}`),
    )
    const result = await pollXAccountOnce({
      client: client(),
      accountId: ME,
      cursor: h.cursor,
      ingest: h.ingest,
    })
    expect(result).toMatchObject({ pages: 3, fetched: 230, ingested: 230, newestId: burst.at(-1) })
    expect(h.ingested.slice(1).map((c) => c.commentId)).toEqual(burst)
    expect(h.saved()).toBe(burst.at(-1))
  })

  it('reads only the newest page on a first run, without a cursor', async () => {
    const h = harness()
    const backlog = Array.from({ length: 130 }, (_, i) => reply('5001', `old ${i}`))
    const result = await pollXAccountOnce({
      client: client(),
      accountId: ME,
      cursor: h.cursor,
      ingest: h.ingest,
    })
    expect(result).toMatchObject({ pages: 1, ingested: 100 })
    expect(h.ingested.map((c) => c.commentId)).toEqual(backlog.slice(30))
    expect(h.saved()).toBe(backlog.at(-1))
  })

  it('returns a backoff instead of spinning when X throttles, leaving the cursor alone', async () => {
    const h = harness()
    reply('5001', 'waiting')
    sim.faults.push({ match: { path: `/2/users/${ME}/mentions` }, status: 429, resetInSeconds: 90 })
    const result = await pollXAccountOnce({
      client: client(),
      accountId: ME,
      cursor: h.cursor,
      ingest: h.ingest,
    })
    expect(result.backoffMs).toBeGreaterThan(88_000)
    expect(result.backoffMs).toBeLessThanOrEqual(91_000)
    expect(h.events).toEqual([])
    expect(h.saved()).toBeNull()
  })

  it('also finds replies to replies in watched conversations, once each', async () => {
    const h = harness()
    const direct = reply('5001', 'direct')
    const nested = reply('5002', 'not mentioning anyone', direct)
    const withoutWatch = harness()
    await pollXAccountOnce({
      client: client(),
      accountId: ME,
      cursor: withoutWatch.cursor,
      ingest: withoutWatch.ingest,
    })
    expect(withoutWatch.ingested.map((c) => c.commentId)).toEqual([direct])
    await pollXAccountOnce({
      client: client(),
      accountId: ME,
      cursor: h.cursor,
      ingest: h.ingest,
      conversations: async () => [post],
    })
    expect(h.ingested.map((c) => [c.commentId, c.parentId])).toEqual([
      [direct, post],
      [nested, direct],
    ])
  })

  it('polls on its own timer after start() and stops cleanly', async () => {
    const h = harness()
    const id = reply('5001', 'timer')
    const rounds: number[] = []
    const poller = createXPoller({
      client: client(),
      accountId: ME,
      cursor: h.cursor,
      ingest: h.ingest,
      intervalMs: 20,
      onResult: (r) => rounds.push(r.ingested),
    })
    poller.start()
    await expect.poll(() => rounds.length, { timeout: 2_000 }).toBeGreaterThanOrEqual(3)
    await poller.stop()
    const seen = sim.requests.length
    await new Promise((r) => setTimeout(r, 60))
    expect(sim.requests.length).toBe(seen)
    expect(h.ingested.map((c) => c.commentId)).toEqual([id])
    expect(rounds[0]).toBe(1)
  })
})
