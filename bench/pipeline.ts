/**
 * The pipeline benchmark: drives a running Wardguard (its own redis-server; PGlite, or Postgres
 * with BENCH_DATABASE_URL) with signed Facebook webhook batches and reports
 *   1. webhook acknowledgement latency (p50, p99) at a steady request rate;
 *   2. end-to-end comments per second, from delivery until every decision is recorded;
 *   3. a burst (the same number again, in POSTs of 50 from 8 senders at once): ack p50, p99;
 *   4. a pile-on: 500 abusive comments on one post within 10 s, the time until the last is
 *      hidden at a Graph simulator that enforces the Pages rate limit, and how many calls it
 *      refused for that limit;
 *   5. BullMQ's own raw throughput for no-op jobs on the same Redis, in the same run.
 * Run: npm run bench:pipeline [-- --rate 200 --seconds 10 --comments 5000]
 * With Postgres, `-- --split N` runs the production shape instead: this process serves HTTP
 * only (--role web) and N separate `wardguard start --role worker` processes moderate, at a
 * lower CPU priority (WORKER_NICE; `--nice 0` to compare without it).
 * One process runs its workers on a thread of their own (WORKERS=thread, the default);
 * `-- --workers inline` runs them on the thread that answers webhooks, to compare.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Worker as Thread } from 'node:worker_threads'
import { Queue, Worker } from 'bullmq'
import pg from 'pg'
import { loadConfig } from '../src/config/load.js'
import { createRedis } from '../src/queue/connection.js'
import { ManagedRedis } from '../src/queue/redis-server.js'
import { WardguardService } from '../src/service.js'
import type { LoadJob, LoadResult, LoadSetup } from './load-generator.js'

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
/** `--profile DIR` writes a CPU profile of each measured phase (ack.cpuprofile, e2e.cpuprofile) */
const PROFILE_DIR = args.get('profile') || null
/** engaged users of the simulated Page: Graph's Pages budget scales with them */
const ENGAGED = Number(args.get('engaged') ?? 100)
const PILE_ON = 500

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

/** Profiles `fn` into DIR/NAME.cpuprofile when --profile is given (open it in Chrome DevTools). */
async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return fn()
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  try {
    return await fn()
  } finally {
    const { profile } = await session.post('Profiler.stop')
    mkdirSync(PROFILE_DIR, { recursive: true })
    writeFileSync(path.join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile))
    session.disconnect()
  }
}

/** A TypeScript file of this folder on a worker thread of its own. */
function tsThread(file: string, data: unknown): Thread {
  // @NOTE Node 20 resolves a worker's entry file before --import hooks run, so the thread
  // registers tsx itself and then imports the TypeScript file
  const entry = new URL(file, import.meta.url).href
  return new Thread(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}) })`,
    { eval: true, workerData: data },
  )
}

/**
 * The Graph simulator on its own thread (see graph-thread.ts), enforcing Graph's documented
 * Pages limit: 4,800 calls per 24 hours per engaged user (`--engaged N`, default 100).
 */
async function startGraphThread(pageId: string, token: string) {
  const limits = { callsPerWindow: 4_800 * ENGAGED, windowMs: 24 * 3_600_000 }
  const thread = tsThread('./graph-thread.ts', { pageId, token, limits })
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    thread.once('message', resolve)
    thread.once('error', reject)
  })
  return {
    url,
    throttled: async () => {
      const answer = new Promise<{ throttled: number }>((r) => thread.once('message', r))
      thread.postMessage('stats')
      return (await answer).throttled
    },
    stop: async () => {
      const stopped = new Promise((r) => thread.once('message', r))
      thread.postMessage('stop')
      await stopped
      await thread.terminate()
    },
  }
}

/** The load generator on a worker thread of its own (see load-generator.ts). */
function startLoadGenerator(setup: LoadSetup) {
  const thread = tsThread('./load-generator.ts', setup)
  return {
    run: (job: LoadJob) =>
      new Promise<LoadResult>((resolve, reject) => {
        thread.once('message', (m: { ok: boolean; result?: LoadResult; error?: string }) =>
          m.ok ? resolve(m.result as LoadResult) : reject(new Error(m.error)),
        )
        thread.once('error', reject)
        thread.postMessage(job)
      }).finally(() => thread.removeAllListeners('error')),
    stop: () => thread.terminate(),
  }
}

/**
 * A new, empty database on the BENCH_DATABASE_URL server for this run, dropped at the end.
 * @NOTE runs against one database that keeps growing (and autovacuum catching up with it) were
 * slower run after run, so figures could not be compared
 */
async function scratchDatabase(serverUrl: string) {
  const name = `wardguard_bench_${process.pid}_${Date.now()}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}

function startWorkerProcess(env: Record<string, string>): ChildProcess {
  // @NOTE worker processes lower their own CPU priority (WORKER_NICE, default 10); `--nice 0` in
  // this script turns that off to show the difference
  const child = spawn(process.execPath, ['bin/wardguard.js', 'start', '--role', 'worker'], {
    env: {
      ...process.env,
      ...env,
      ...(args.has('nice') ? { WORKER_NICE: args.get('nice') } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  return child
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wardguard-bench-'))
  const graph = await startGraphThread(PAGE, 'bench-token')
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
    WORKERS: args.get('workers') || 'thread',
  }
  const scratch = process.env.BENCH_DATABASE_URL
    ? await scratchDatabase(process.env.BENCH_DATABASE_URL)
    : null
  if (scratch) env.DATABASE_URL = scratch.url
  const workers: ChildProcess[] = []
  let redis: ManagedRedis | null = null
  if (SPLIT > 0) {
    if (!env.DATABASE_URL) throw new Error('--split needs BENCH_DATABASE_URL (Postgres)')
    redis = new ManagedRedis({ dataDir })
    env.REDIS_URL = await redis.start()
    for (let i = 0; i < SPLIT; i++) workers.push(startWorkerProcess(env))
    // @NOTE a benchmark stopped with Ctrl-C must not leave worker processes behind to skew the next
    process.once('exit', () => {
      for (const w of workers) w.kill('SIGKILL')
    })
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => process.exit(130))
  }
  const service = await WardguardService.start(loadConfig({ env }), {
    port: 0,
    role: SPLIT > 0 ? 'web' : 'all',
  })
  // @NOTE measured once the worker processes are working the queues: their start-up (compiling,
  // connecting) is not the steady state a webhook meets
  while (SPLIT > 0 && (await service.pipeline.queues.moderate.getWorkers()).length < SPLIT)
    await new Promise((r) => setTimeout(r, 200))
  const load = startLoadGenerator({
    url: `${service.url}/webhooks/facebook`,
    secret: SECRET,
    pageId: PAGE,
    texts: TEXTS,
    run: Date.now(),
  })
  const decided = async () =>
    Number(
      (
        await service.db.query<{ n: string }>(
          "select count(*) as n from moderation_event where type = 'decision.made'",
        )
      )[0]?.n ?? 0,
    )

  const hidden = async () =>
    Number(
      (
        await service.db.query<{ n: string }>(
          "select count(*) as n from moderation_event where type = 'action.applied' and meta->>'action' = 'hide'",
        )
      )[0]?.n ?? 0,
    )

  // 1. acknowledgement latency at a steady rate, one comment per delivery as Meta mostly sends.
  // @NOTE the first second is warm-up (JIT, connections) and is not counted
  const base = await decided()
  const warmUp = RATE
  const total = RATE * SECONDS + warmUp
  // @NOTE how long the service's event loop was stuck: an ack can be no faster than its turn
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()
  const steady = await profiled('ack', () =>
    load.run({ kind: 'steady', rate: RATE, total, warmUp }),
  )
  const latencies = steady.latencies
  latencies.sort((a, b) => a - b)
  const offered = total / steady.seconds
  while ((await decided()) < base + total) await new Promise((r) => setTimeout(r, 200))

  // 2. end to end: COMMENTS in batches of BATCH, as fast as they are acknowledged
  // @NOTE a new database has no planner statistics until autovacuum's first pass (a minute or
  // more); a production store has them, so they are gathered here as autovacuum would
  if (scratch) await service.db.query('analyze')
  const before = await decided()
  loopDelay.disable()
  const e2eStart = performance.now()
  const e2eCpu = process.cpuUsage()
  const e2eLoad = loadavg()[0] as number
  await profiled('e2e', async () => {
    await load.run({ kind: 'batches', comments: COMMENTS, batch: BATCH })
    while ((await decided()) < before + COMMENTS) await new Promise((r) => setTimeout(r, 100))
  })
  const e2e = COMMENTS / ((performance.now() - e2eStart) / 1000)
  const cpu = process.cpuUsage(e2eCpu)
  const cpuMsPer1000 = (cpu.user + cpu.system) / 1000 / (COMMENTS / 1000)

  // 3. a burst: 100 POSTs of 50 from 8 senders at once, as a pile-on's first minute arrives
  const burst = await load.run({ kind: 'burst', comments: COMMENTS, batch: BATCH, senders: 8 })
  const burstLatencies = burst.latencies.sort((a, b) => a - b)
  while ((await decided()) < before + 2 * COMMENTS) await new Promise((r) => setTimeout(r, 100))

  // 4. a pile-on: PILE_ON abusive comments on one post within 10 s, every one to be hidden;
  // the time from the first POST until the last is hidden on the (rate-limited) Graph simulator
  const hidesBefore = await hidden()
  const pileOnStart = performance.now()
  await load.run({ kind: 'pile-on', comments: PILE_ON, batch: 10, seconds: 10 })
  while ((await hidden()) < hidesBefore + PILE_ON) await new Promise((r) => setTimeout(r, 100))
  const pileOnSeconds = (performance.now() - pileOnStart) / 1000
  const throttled = await graph.throttled()

  // 5. BullMQ's raw throughput on the same Redis, same process
  const raw = await rawBullmq(service.redisUrl, COMMENTS)

  const store = `${process.env.BENCH_DATABASE_URL ? 'Postgres' : 'PGlite'}${SPLIT > 0 ? `, web process + ${SPLIT} worker process(es)` : ', one process'}`
  const workersAt =
    SPLIT > 0 ? '' : `; workers ${env.WORKERS === 'inline' ? 'inline' : 'on a thread of their own'}`
  console.log(
    `\nWardguard pipeline benchmark (${store} audit store, own redis-server${workersAt}, ${new Date().toISOString()})`,
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
  console.log(
    `| burst: ${COMMENTS} comments in POSTs of ${BATCH} from 8 senders, ack p50 / p99 | ${quantile(burstLatencies, 0.5).toFixed(1)} / ${quantile(burstLatencies, 0.99).toFixed(1)} ms |`,
  )
  console.log(
    `| pile-on: ${PILE_ON} abusive comments on one post in 10 s, last hidden after | ${pileOnSeconds.toFixed(1)} s |`,
  )
  console.log(
    `| pile-on: calls the Graph simulator refused for its rate limit (${ENGAGED} engaged users) | ${throttled} |`,
  )
  console.log(
    `| event-loop delay during the ack phase, p99 / max | ${(loopDelay.percentile(99) / 1e6).toFixed(0)} / ${(loopDelay.max / 1e6).toFixed(0)} ms |`,
  )
  console.log(
    `| this process's CPU per 1,000 comments end to end (service + load generator) | ${cpuMsPer1000.toFixed(0)} ms |`,
  )
  console.log(
    `| machine load average (1 min) when the end-to-end phase began | ${e2eLoad.toFixed(1)} |`,
  )

  await load.stop()
  await service.stop()
  for (const w of workers) w.kill('SIGTERM')
  await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))))
  await redis?.stop()
  await scratch?.drop()
  await graph.stop()
  rmSync(dataDir, { recursive: true, force: true })
}

await main()
