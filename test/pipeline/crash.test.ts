import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManagedRedis } from '../../src/queue/redis-server.js'
import { APP_SECRET, accountsYaml, PAGE_ID, PAGE_TOKEN, waitFor } from '../helpers/harness.js'
import { tempDir, writeFile } from '../helpers/tmp.js'
import {
  facebookCommentBody,
  type GraphSimulator,
  sendFacebookWebhook,
  startGraphSimulator,
} from '../simulators/graph-sim.js'

const PG_URL = process.env.TEST_DATABASE_URL
if (!PG_URL)
  console.warn('crash.test: TEST_DATABASE_URL is not set, so the kill -9 test is skipped')

/** A real `wardguard start` process, killed with SIGKILL mid-batch: the worst crash there is. */
describe.skipIf(!PG_URL)('a worker killed mid-batch loses nothing', () => {
  const tmp = tempDir('wardguard-crash-')
  const dbName = `wg_crash_${randomBytes(4).toString('hex')}`
  let admin: pg.Client
  let redis: ManagedRedis
  let graph: GraphSimulator
  let env: Record<string, string>

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    await admin.query(`create database ${dbName}`)
    redis = new ManagedRedis({ dataDir: tmp.dir })
    const redisUrl = await redis.start()
    graph = await startGraphSimulator({ pages: { [PAGE_ID]: PAGE_TOKEN } })
    const url = new URL(PG_URL as string)
    url.pathname = `/${dbName}`
    env = {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'warn',
      DATA_DIR: tmp.dir,
      REDIS_URL: redisUrl,
      DATABASE_URL: url.toString(),
      WARDGUARD_CONFIG: writeFile(tmp.dir, 'wardguard.yaml', accountsYaml()),
      FB_TOKEN_TEST: PAGE_TOKEN,
      X_TOKEN_TEST: 'unused',
      FACEBOOK_APP_SECRET: APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: 'v',
      FACEBOOK_GRAPH_URL: graph.url,
      X_API_URL: 'http://127.0.0.1:9',
      WORKER_LOCK_MS: '1500',
    }
  })
  afterAll(async () => {
    await graph?.stop()
    await redis?.stop()
    await admin?.query(`drop database if exists ${dbName} with (force)`).catch(() => undefined)
    await admin?.end()
    tmp.cleanup()
  })

  function startProcess(extra: Record<string, string> = {}): {
    child: ChildProcess
    url: Promise<string>
  } {
    const child = spawn(
      process.execPath,
      [path.resolve('bin/wardguard.js'), 'start', '--port', '0'],
      {
        env: { ...env, ...extra },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    const url = new Promise<string>((resolve, reject) => {
      const onData = (d: Buffer) => {
        out += d
        const m = out.match(/running at (http:\/\/\S+)/)
        if (m?.[1]) resolve(m[1])
      }
      child.stdout?.on('data', onData)
      child.stderr?.on('data', onData)
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
    })
    return { child, url }
  }

  it('finishes every decision and hide after kill -9 and a restart, without deciding twice', async () => {
    const db = new pg.Client({ connectionString: env.DATABASE_URL })
    // @NOTE one job at a time, so the kill lands mid-batch: at full speed the first process can
    // decide all 300 before the test sees its first decision
    const first = startProcess({ WORKER_CONCURRENCY: '1' })
    const url = await first.url
    await db.connect()
    const abusive = new Set<string>()
    const seeded = Array.from({ length: 300 }, (_, i) => {
      const bad = i % 3 === 0
      const c = graph.state.seedComment({
        pageId: PAGE_ID,
        from: { id: String(20_000 + i), name: 'R' },
        message: bad
          ? `shut up you f*cking idiot ${i}`
          : `When is the bin collection this week? ${i}`,
      })
      if (bad) abusive.add(c.id)
      return c
    })
    for (let i = 0; i < seeded.length; i += 50) {
      const res = await sendFacebookWebhook(
        `${url}/webhooks/facebook`,
        facebookCommentBody(seeded.slice(i, i + 50)),
        APP_SECRET,
      )
      expect(res.status).toBe(200)
    }
    const decided = async () =>
      Number(
        (
          await db.query(
            "select count(*)::int as n from moderation_event where type = 'decision.made'",
          )
        ).rows[0]?.n,
      )
    await waitFor(decided, (n) => n > 0)
    first.child.kill('SIGKILL')
    await new Promise((r) => first.child.once('exit', r))
    expect(await decided()).toBeLessThan(300)

    const second = startProcess()
    await second.url
    const done = await waitFor(decided, (n) => n >= 300, 60_000)
    expect(done).toBe(300)
    await waitFor(
      async () => [...abusive].every((id) => graph.state.comment(id)?.isHidden),
      Boolean,
      30_000,
    )
    expect([...abusive].every((id) => graph.state.comment(id)?.isHidden)).toBe(true)
    const dupes = await db.query(
      "select subject_key from moderation_event where type = 'decision.made' group by subject_key having count(*) > 1",
    )
    expect(dupes.rows).toEqual([])
    second.child.kill('SIGTERM')
    await new Promise((r) => second.child.once('exit', r))
    await db.end()
  }, 120_000)
})
