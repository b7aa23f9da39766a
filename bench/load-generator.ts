/**
 * The benchmark's load generator, run on a worker thread of its own (bench/pipeline.ts).
 * @NOTE on the service's own event loop, building, signing and sending 200 requests a second
 * and timing them competed with the server it measured: an ack that was ready waited for the
 * generator's turn, and the generator's timers fired late. A platform's servers are not in
 * our process either. It still shares the machine's two cores.
 */
import { parentPort, workerData } from 'node:worker_threads'
import {
  facebookCommentBody,
  sendFacebookWebhook,
} from '../test/simulators/facebook-webhook-sender.js'

export type LoadJob =
  | { kind: 'steady'; rate: number; total: number; warmUp: number }
  | { kind: 'batches'; comments: number; batch: number }
  /** `comments` in POSTs of `batch` from `senders` senders at once; each POST's latency */
  | { kind: 'burst'; comments: number; batch: number; senders: number }
  /** abusive comments on one post, spread evenly over `seconds`, in POSTs of `batch` */
  | { kind: 'pile-on'; comments: number; batch: number; seconds: number }

export type LoadSetup = {
  url: string
  secret: string
  pageId: string
  texts: string[]
  run: number
}

export type LoadResult = { latencies: number[]; seconds: number }

const setup = workerData as LoadSetup
let seq = 0

/** Abuse of the kind a pile-on brings: every one of these is hidden by the shipped policy. */
const PILE_ON_TEXTS = [
  'you fucking twat',
  'get lost you useless c*nt',
  'eat sh1t you f u c k i n g idiot',
  'ring him on 07700 900123 and give him what for',
]

function body(n: number, pileOn = false) {
  return facebookCommentBody(
    Array.from({ length: n }, () => {
      seq++
      const texts = pileOn ? PILE_ON_TEXTS : setup.texts
      return {
        pageId: setup.pageId,
        // @NOTE ids unique to this run: a Postgres audit store outlives the run, and comments it
        // has already decided would be recognised as redeliveries and never counted again
        commentId: `${seq}_${setup.run}${seq}`,
        postId: pileOn ? `${setup.pageId}_pile_on` : `${setup.pageId}_${seq % 97}`,
        from: { id: String(10_000 + (seq % 500)), name: 'Bench Resident' },
        message: `${texts[seq % texts.length]} (${seq})`,
      }
    }),
  )
}

async function send(n: number, pileOn = false): Promise<void> {
  const res = await sendFacebookWebhook(setup.url, body(n, pileOn), setup.secret)
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`)
}

async function timed(n: number, latencies: number[], pileOn = false): Promise<void> {
  const t = performance.now()
  await send(n, pileOn)
  latencies.push(performance.now() - t)
}

/** One comment per delivery, as Meta mostly sends, at a steady rate; latencies after warm-up. */
async function steady(rate: number, total: number, warmUp: number): Promise<number[]> {
  const latencies: number[] = []
  const inflight: Promise<void>[] = []
  const started = performance.now()
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    inflight.push(
      (async () => {
        const t = performance.now()
        await send(1)
        if (i >= warmUp) latencies.push(performance.now() - t)
      })(),
    )
  }
  await Promise.all(inflight)
  return latencies
}

async function batches(comments: number, size: number): Promise<void> {
  for (let i = 0; i < comments; i += size) await send(Math.min(size, comments - i))
}

async function burst(comments: number, size: number, senders: number): Promise<number[]> {
  const latencies: number[] = []
  let next = 0
  const sender = async () => {
    while (next < comments) {
      const n = Math.min(size, comments - next)
      next += n
      await timed(n, latencies)
    }
  }
  await Promise.all(Array.from({ length: senders }, sender))
  return latencies
}

async function pileOn(comments: number, size: number, seconds: number): Promise<number[]> {
  const latencies: number[] = []
  const posts = Math.ceil(comments / size)
  const started = performance.now()
  const inflight: Promise<void>[] = []
  for (let i = 0; i < posts; i++) {
    const wait = started + (i * seconds * 1000) / posts - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    inflight.push(timed(Math.min(size, comments - i * size), latencies, true))
  }
  await Promise.all(inflight)
  return latencies
}

parentPort?.on('message', async (job: LoadJob) => {
  const started = performance.now()
  try {
    let latencies: number[] = []
    if (job.kind === 'steady') latencies = await steady(job.rate, job.total, job.warmUp)
    else if (job.kind === 'burst') latencies = await burst(job.comments, job.batch, job.senders)
    else if (job.kind === 'pile-on') latencies = await pileOn(job.comments, job.batch, job.seconds)
    else await batches(job.comments, job.batch)
    const result: LoadResult = { latencies, seconds: (performance.now() - started) / 1000 }
    parentPort?.postMessage({ ok: true, result })
  } catch (err) {
    parentPort?.postMessage({ ok: false, error: (err as Error).message })
  }
})
