/**
 * The Graph simulator on a worker thread of its own (bench/pipeline.ts). @NOTE Facebook's
 * servers are not in the service's process; on its event loop, answering the workers' hide
 * calls delayed the webhook acknowledgements the benchmark measures.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { startGraphSimulator } from '../test/simulators/graph-sim.js'

const { pageId, token } = workerData as { pageId: string; token: string }
const graph = await startGraphSimulator({ pages: { [pageId]: token } })
parentPort?.postMessage({ url: graph.url })
parentPort?.once('message', async () => {
  await graph.stop()
  parentPort?.postMessage({ stopped: true })
})
