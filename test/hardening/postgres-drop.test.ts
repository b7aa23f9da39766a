import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManagedRedis } from '../../src/queue/redis-server.js'
import { createPostgresDatabase, POSTGRES_URL } from '../audit/backends.js'
import { APP_SECRET, accountsYaml, PAGE_ID, PAGE_TOKEN, waitFor } from '../helpers/harness.js'
import { tempDir, writeFile } from '../helpers/tmp.js'
import {
  facebookCommentBody,
  type GraphSimulator,
  sendFacebookWebhook,
  startGraphSimulator,
} from '../simulators/graph-sim.js'

if (!POSTGRES_URL)
  console.warn('postgres-drop.test: TEST_DATABASE_URL is not set, so this test is skipped')

/**
 * Issue 11, item 2: a real `wardguard start` process has its Postgres connections terminated
 * again and again while deliveries pour in. It stays up, loses nothing, decides nothing twice.
 */
describe.skipIf(!POSTGRES_URL)('Postgres connections dropped under load', () => {
  const tmp = tempDir('wardguard-pgdrop-')
  let database: { url: string; drop: () => Promise<void> }
  let admin: pg.Client
  let redis: ManagedRedis
  let graph: GraphSimulator
  let child: ChildProcess | undefined
  let output = ''

  beforeAll(async () => {
    database = await createPostgresDatabase()
    admin = new pg.Client({ connectionString: POSTGRES_URL })
    await admin.connect()
    redis = new ManagedRedis({ dataDir: tmp.dir })
    graph = await startGraphSimulator({ pages: { [PAGE_ID]: PAGE_TOKEN } })
  })
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM')
      await new Promise((r) => child?.once('exit', r))
    }
    await graph?.stop()
    await redis?.stop()
    await admin?.end()
    await database?.drop()
    tmp.cleanup()
  })

  async function startService(): Promise<string> {
    const env = {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'warn',
      DATA_DIR: tmp.dir,
      REDIS_URL: await redis.start(),
      DATABASE_URL: database.url,
      WARDGUARD_CONFIG: writeFile(tmp.dir, 'wardguard.yaml', accountsYaml()),
      FB_TOKEN_TEST: PAGE_TOKEN,
      X_TOKEN_TEST: 'unused',
      FACEBOOK_APP_SECRET: APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: 'v',
      FACEBOOK_GRAPH_URL: graph.url,
      X_API_URL: 'http://127.0.0.1:9',
    }
    const proc = spawn(
      process.execPath,
      [path.resolve('bin/wardguard.js'), 'start', '--port', '0'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    child = proc
    return new Promise<string>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d
        const m = output.match(/running at (http:\/\/\S+)/)
        if (m?.[1]) resolve(m[1])
      }
      proc.stdout?.on('data', onData)
      proc.stderr?.on('data', onData)
      proc.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)))
    })
  }

  const terminate = async () =>
    (
      await admin.query(
        `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
         where datname = $1 and pid <> pg_backend_pid()`,
        [new URL(database.url).pathname.slice(1)],
      )
    ).rows[0]?.n as number

  it('decides every comment exactly once, with no restart, while its connections are killed', async () => {
    const url = await startService()
    const batches = 16
    const perBatch = 25
    let killed = 0
    let loading = true
    const killer = (async () => {
      while (loading) {
        killed += await terminate()
        await new Promise((r) => setTimeout(r, 200))
      }
    })()
    const statuses: number[] = []
    let total = 0
    for (let b = 0; b < batches; b++) {
      const seeded = Array.from({ length: perBatch }, (_, i) =>
        graph.state.seedComment({
          pageId: PAGE_ID,
          from: { id: String(30_000 + b * perBatch + i), name: 'R' },
          message:
            i % 4 === 0
              ? `shut up you f*cking idiot ${b}.${i}`
              : `Bins missed again on Elm Road ${b}.${i}`,
        }),
      )
      total += seeded.length
      const res = await sendFacebookWebhook(
        `${url}/webhooks/facebook`,
        facebookCommentBody(seeded),
        APP_SECRET,
      ).catch((err: Error) => {
        throw new Error(`${err.message}; the service said: ${output.slice(-2_000)}`)
      })
      statuses.push(res.status)
      await new Promise((r) => setTimeout(r, 100))
    }
    // keep killing for a while as the workers catch up
    await new Promise((r) => setTimeout(r, 2_000))
    loading = false
    await killer
    expect(killed).toBeGreaterThan(0)
    expect(statuses.every((s) => s === 200)).toBe(true)

    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    try {
      const decided = async () =>
        (
          await client.query(
            "select count(distinct subject_key)::int as n from moderation_event where type = 'decision.made'",
          )
        ).rows[0]?.n as number
      const done = await waitFor(decided, (n) => n >= total, 90_000)
      expect(done).toBe(total)
      const twice = await client.query(
        `select subject_key from moderation_event where type = 'decision.made'
         group by subject_key having count(*) > 1`,
      )
      expect(twice.rows).toEqual([])
    } finally {
      await client.end()
    }
    // the same process, never restarted, and ready
    expect(child?.exitCode, output).toBeNull()
    const ready = await waitFor(
      async () => (await fetch(`${url}/readyz`)).status,
      (s) => s === 200,
    )
    expect(ready).toBe(200)
  }, 150_000)
})
