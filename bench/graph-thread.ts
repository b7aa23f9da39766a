/**
 * The Graph simulator on a worker thread of its own (bench/pipeline.ts). @NOTE Facebook's
 * servers are not in the service's process; on its event loop, answering the workers' hide
 * calls delayed the webhook acknowledgements the benchmark measures.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { startGraphSimulator } from '../test/simulators/graph-sim.js'
import type { GraphLimits } from '../test/simulators/graph-sim-limits.js'

const { pageId, token, limits } = workerData as {
  pageId: string
  token: string
  limits: GraphLimits | null
}
const graph = await startGraphSimulator({ pages: { [pageId]: token } })
graph.usage.limits = limits
// @NOTE the load generator's comments exist only in its webhooks, not in this thread's state:
// a comment the service acts on is taken to be one a resident wrote, as on a real Page
const known = graph.state.comment.bind(graph.state)
graph.state.comment = (id) =>
  known(id) ??
  (/^\d+_\d+$/.test(id)
    ? graph.state.seedComment({
        id,
        pageId,
        from: { id: '10000', name: 'Bench Resident' },
        message: '(a benchmark comment)',
      })
    : undefined)
parentPort?.postMessage({ url: graph.url })
parentPort?.on('message', async (message: 'stop' | 'stats') => {
  if (message === 'stats') {
    parentPort?.postMessage({ throttled: graph.usage.throttled })
    return
  }
  await graph.stop()
  parentPort?.postMessage({ stopped: true })
})
