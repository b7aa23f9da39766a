/**
 * Starts a worker thread on one of this codebase's modules. @NOTE a thread does not inherit the
 * main thread's TypeScript loader (tsx, vitest): run from the sources, the thread starts on a
 * plain JavaScript file that registers tsx and then imports the module; the compiled build
 * starts the compiled module directly.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads'

/** `name` is the module's file name without extension, beside `from` (its import.meta.url). */
export function startThread(from: string, name: string, opts: WorkerOptions): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), opts)
  const entry = new URL(`./${name}.ts`, from).href
  return new Worker(new URL('./start-thread-tsx.mjs', import.meta.url), {
    ...opts,
    argv: [entry, ...(opts.argv ?? [])],
  })
}
