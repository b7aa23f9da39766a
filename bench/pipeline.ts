/**
 * The pipeline benchmark: drives a running Wardguard (its own redis-server; PGlite, or Postgres
 * with BENCH_DATABASE_URL) with signed Facebook webhook batches and reports
 *   1. webhook acknowledgement latency (p50, p99) at a steady request rate;
 *   2. end-to-end comments per second, from delivery until every decision is recorded;
 *   3. BullMQ's own raw throughput for no-op jobs on the same Redis, in the same run.
 * Run: npm run bench:pipeline [-- --rate 200 --seconds 10 --comments 5000]
 * With Postgres, `-- --split N` runs the production shape instead: this process serves HTTP
 * only (--role web) and N separate `wardguard start --role worker` processes moderate.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Queue, Worker } from 'bullmq'
import { loadConfig } from '../src/config/load.js'
import { createRedis } from '../src/queue/connection.js'
import { ManagedRedis } from '../src/queue/redis-server.js'
import { WardguardService } from '../src/service.js'
import {
  facebookCommentBody,
  sendFacebookWebhook,
  startGraphSimulator,
} from '../test/simulators/graph-sim.js'

const PAGE = '100000000000001'
const SECRET = 'bench-secret'
const args = new Map(
  process.argv
    .slice(2)
    .flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1] ?? '']] : [])),
)
const RATE = Number(args.get('rate') ?? 200)
const SECONDS = Number(args.get('seconds') ?? 10)
const COMMENTS = Number(args.get('comments') ?? 5_000)
const BATCH = 50
const SPLIT = Number(args.get('split') ?? 0)

const TEXTS = [
  'The parking charges on the high street are a disgrace and the council knows it.',
  'Thank you for sorting the streetlight on Elm Road so quickly.',
  'get lost you useless c*nt',
  'When will the library reopen? The consultation said spring.',
  'Cllr Hartley is a liar and a thief who should be locked up',
  'Free iPhone for the first 100 people! Click https://prize.example/claim',
  'Bloody potholes again on the ring road, third time this year.',
  'ring him on 07700 900123 and give him what for',
]

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}

async function rawBullmq(redisUrl: string, jobs: number): Promise<number> {
  const connection = createRedis(redisUrl, 'bench-raw')
  const queue = new Queue('bench-noop', { connection, prefix: 'bench' })
  await queue.obliterate({ force: true }).catch(() => undefined)
  let done = 0
  let finish: () => void = () => undefined
  const finished = new Promise<void>((r) => {
    finish = r
  })
  const worker = new Worker('bench-noop', async () => undefined, {
    connection,
    prefix: 'bench',
    concurrency: 8,
  })
  worker.on('completed', () => {
    if (++done === jobs) finish()
  })
  const started = performance.now()
  for (let i = 0; i < jobs; i += 500) {
    await queue.addBulk(
      Array.from({ length: Math.min(500, jobs - i) }, (_, j) => ({
        name: 'noop',
        data: { i: i + j },
      })),
    )
  }
  await finished
  const perSecond = jobs / ((performance.now() - started) / 1000)
  await worker.close()
  await queue.obliterate({ force: true })
  await queue.close()
  connection.disconnect()
  return perSecond
}

function startWorkerProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['bin/wardguard.js', 'start', '--role', 'worker'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  return child
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wardguard-bench-'))
  const graph = await startGraphSimulator({ pages: { [PAGE]: 'bench-token' } })
  const configFile = path.join(dataDir, 'wardguard.yaml')
  writeFileSync(
    configFile,
    `accounts:
  - id: bench
    platform: facebook
    pageId: "${PAGE}"
    name: Bench Page
    owner: { name: Bench }
    tokenEnv: BENCH_TOKEN
    review: { channel: C0BENCH, moderators: [U0BENCH] }
`,
  )
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    WARDGUARD_CONFIG: configFile,
    BENCH_TOKEN: 'bench-token',
    FACEBOOK_APP_SECRET: SECRET,
    FACEBOOK_VERIFY_TOKEN: 'v',
    FACEBOOK_GRAPH_URL: graph.url,
    LOG_LEVEL: 'error',
    ACT_RATE_PER_SECOND: '1000',
  }
  if (process.env.BENCH_DATABASE_URL) env.DATABASE_URL = process.env.BENCH_DATABASE_URL
  const workers: ChildProcess[] = []
  let redis: ManagedRedis | null = null
  if (SPLIT > 0) {
    if (!env.DATABASE_URL) throw new Error('--split needs BENCH_DATABASE_URL (Postgres)')
    redis = new ManagedRedis({ dataDir })
    env.REDIS_URL = await redis.start()
    for (let i = 0; i < SPLIT; i++) workers.push(startWorkerProcess(env))
  }
  const service = await WardguardService.start(loadConfig({ env }), {
    port: 0,
    role: SPLIT > 0 ? 'web' : 'all',
  })
  const url = `${service.url}/webhooks/facebook`
  let seq = 0
  const batch = (n: number) =>
    facebookCommentBody(
      Array.from({ length: n }, () => {
        seq++
        return {
          pageId: PAGE,
          commentId: `${seq}_${seq}`,
          postId: `${PAGE}_${seq % 97}`,
          from: { id: String(10_000 + (seq % 500)), name: 'Bench Resident' },
          message: `${TEXTS[seq % TEXTS.length]} (${seq})`,
        }
      }),
    )
  const decided = async () =>
    Number(
      (
        await service.db.query<{ n: string }>(
          "select count(*) as n from moderation_event where type = 'decision.made'",
        )
      )[0]?.n ?? 0,
    )

  // 1. acknowledgement latency at a steady rate, one comment per delivery as Meta mostly sends.
  // @NOTE the first second is warm-up (JIT, connections) and is not counted
  const latencies: number[] = []
  const warmUp = RATE
  const total = RATE * SECONDS + warmUp
  const started = performance.now()
  const inflight: Promise<void>[] = []
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    const body = batch(1)
    inflight.push(
      (async () => {
        const t = performance.now()
        const res = await sendFacebookWebhook(url, body, SECRET)
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}`)
        if (i >= warmUp) latencies.push(performance.now() - t)
      })(),
    )
  }
  await Promise.all(inflight)
  latencies.sort((a, b) => a - b)
  const offered = total / ((performance.now() - started) / 1000)
  while ((await decided()) < total) await new Promise((r) => setTimeout(r, 200))

  // 2. end to end: COMMENTS in batches of BATCH, as fast as they are acknowledged
  const before = await decided()
  const e2eStart = performance.now()
  for (let i = 0; i < COMMENTS; i += BATCH) {
    const res = await sendFacebookWebhook(url, batch(Math.min(BATCH, COMMENTS - i)), SECRET)
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`)
  }
  while ((await decided()) < before + COMMENTS) await new Promise((r) => setTimeout(r, 100))
  const e2e = COMMENTS / ((performance.now() - e2eStart) / 1000)

  // 3. BullMQ's raw throughput on the same Redis, same process
  const raw = await rawBullmq(service.redisUrl, COMMENTS)

  const store = `${process.env.BENCH_DATABASE_URL ? 'Postgres' : 'PGlite'}${SPLIT > 0 ? `, web process + ${SPLIT} worker process(es)` : ', one process'}`
  console.log(
    `\nWardguard pipeline benchmark (${store} audit store, own redis-server, ${new Date().toISOString()})`,
  )
  console.log('| measure | value |')
  console.log('| --- | ---: |')
  console.log(
    `| webhook ack p50 at ${offered.toFixed(0)} req/s (target rate ${RATE}) | ${quantile(latencies, 0.5).toFixed(1)} ms |`,
  )
  console.log(
    `| webhook ack p99 at ${offered.toFixed(0)} req/s | ${quantile(latencies, 0.99).toFixed(1)} ms |`,
  )
  console.log(
    `| end-to-end comments decided per second (${COMMENTS} in batches of ${BATCH}) | ${e2e.toFixed(0)} |`,
  )
  console.log(
    `| BullMQ raw no-op jobs per second (same Redis, concurrency 8) | ${raw.toFixed(0)} |`,
  )
  console.log(`| Wardguard end-to-end / BullMQ raw | ${(e2e / raw).toFixed(2)} |`)

  await service.stop()
  for (const w of workers) w.kill('SIGTERM')
  await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))))
  await redis?.stop()
  await graph.stop()
  rmSync(dataDir, { recursive: true, force: true })
}

await main()
