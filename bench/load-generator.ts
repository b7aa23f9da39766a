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

function body(n: number) {
  return facebookCommentBody(
    Array.from({ length: n }, () => {
      seq++
      return {
        pageId: setup.pageId,
        // @NOTE ids unique to this run: a Postgres audit store outlives the run, and comments it
        // has already decided would be recognised as redeliveries and never counted again
        commentId: `${seq}_${setup.run}${seq}`,
        postId: `${setup.pageId}_${seq % 97}`,
        from: { id: String(10_000 + (seq % 500)), name: 'Bench Resident' },
        message: `${setup.texts[seq % setup.texts.length]} (${seq})`,
      }
    }),
  )
}

async function send(n: number): Promise<void> {
  const res = await sendFacebookWebhook(setup.url, body(n), setup.secret)
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`)
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

parentPort?.on('message', async (job: LoadJob) => {
  const started = performance.now()
  try {
    let latencies: number[] = []
    if (job.kind === 'steady') latencies = await steady(job.rate, job.total, job.warmUp)
    else await batches(job.comments, job.batch)
    const result: LoadResult = { latencies, seconds: (performance.now() - started) / 1000 }
    parentPort?.postMessage({ ok: true, result })
  } catch (err) {
    parentPort?.postMessage({ ok: false, error: (err as Error).message })
  }
})
