import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../src/audit/db.js'
import { eventsForSubject, recordEvent } from '../../src/audit/index.js'
import type { Account } from '../../src/config/accounts.js'
import { createFacebookClient } from '../../src/connectors/facebook/client.js'
import { loadPolicy } from '../../src/moderation/index.js'
import { createAccountDirectory } from '../../src/pipeline/accounts.js'
import { runReview } from '../../src/pipeline/review-stage.js'
import { createStrikeStore } from '../../src/pipeline/strikes.js'
import { createRedis } from '../../src/queue/connection.js'
import { ManagedRedis } from '../../src/queue/redis-server.js'
import { openTestDb, type TestDb } from '../audit/backends.js'
import { decisionInput, receivedInput, subject } from '../audit/fixtures.js'
import { tempDir } from '../helpers/tmp.js'

const ACCOUNT: Account = {
  id: 'page-1',
  platform: 'facebook',
  pageId: '100000000000001',
  name: 'Cllr Review',
  owner: { name: 'Rita Review' },
  tokenEnv: 'UNUSED',
  review: { channel: 'C0REVIEW1', moderators: ['U0ADMIN1'], replyWithExplanation: false },
}

/** The store, with its next transaction after `arm()` failing as if the database went away. */
function failingOnce(db: Db) {
  let armed = false
  const wrapped: Db = {
    ...db,
    transaction: (fn) => {
      if (!armed) return db.transaction(fn)
      armed = false
      return Promise.reject(new Error('connection terminated'))
    },
  }
  return {
    db: wrapped,
    arm: () => {
      armed = true
    },
  }
}

/**
 * A review job that posted to Slack but could not record it is retried by BullMQ: the retry
 * must record the post it made, not post the same comment to the channel a second time.
 */
describe('the review job', () => {
  const tmp = tempDir('wardguard-review-stage-')
  let t: TestDb
  let redisServer: ManagedRedis
  let redis: ReturnType<typeof createRedis>

  beforeAll(async () => {
    t = await openTestDb('pglite')
    redisServer = new ManagedRedis({ dataDir: tmp.dir })
    redis = createRedis(await redisServer.start())
  }, 60_000)
  afterAll(async () => {
    redis?.disconnect()
    await redisServer?.stop()
    await t?.dispose()
    tmp.cleanup()
  })

  const setUp = async (withMemory: boolean) => {
    const s = subject()
    const received = await recordEvent(t.db, receivedInput(s))
    const decided = await recordEvent(
      t.db,
      decisionInput(s, received.event.id, 'review', ['defamation']),
    )
    const store = failingOnce(t.db)
    const posts: string[] = []
    const deps = {
      db: store.db,
      accounts: createAccountDirectory({
        accounts: [ACCOUNT],
        tokens: new Map(),
        basePolicy: loadPolicy(),
        // a real client pointed nowhere: posting for review makes no platform call
        makeClient: () =>
          createFacebookClient({
            graphUrl: 'http://127.0.0.1:9',
            apiVersion: 'v24.0',
            pageToken: 'unused',
            pageId: '100000000000001',
          }),
      }),
      strikes: createStrikeStore(redis, `test-${s.commentId}`),
      ...(withMemory ? { redis } : {}),
      post: async () => {
        posts.push(s.subjectKey)
        if (posts.length === 1) store.arm() // the record right after the first post fails
        return { channel: 'C0REVIEW1', ts: `1700000000.${posts.length}` }
      },
    }
    const req = {
      v: 1 as const,
      platform: 'facebook' as const,
      accountId: ACCOUNT.platform === 'facebook' ? ACCOUNT.pageId : '',
      subjectKey: s.subjectKey,
      causedBy: decided.event.id,
      kind: 'comment' as const,
      urgent: false,
    }
    return { s, deps, req, posts }
  }

  it('posts once when the record failed and the job is retried', async () => {
    const { s, deps, req, posts } = await setUp(true)
    await expect(runReview(req, deps)).rejects.toThrow(/connection terminated/)
    await runReview(req, deps) // BullMQ's retry
    await runReview(req, deps) // and a redelivery after it was recorded
    expect(posts).toHaveLength(1)
    const recorded = (await eventsForSubject(t.db, s.subjectKey)).filter(
      (e) => e.type === 'review.posted',
    )
    expect(recorded).toHaveLength(1)
    expect(recorded[0]?.meta).toMatchObject({ channel: 'C0REVIEW1', ts: '1700000000.1' })
  })

  it('without the memory the same failure would post twice (what the memory prevents)', async () => {
    const { deps, req, posts } = await setUp(false)
    await expect(runReview(req, deps)).rejects.toThrow(/connection terminated/)
    await runReview(req, deps)
    expect(posts).toHaveLength(2)
  })
})
