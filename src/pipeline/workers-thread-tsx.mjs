// Starts the workers thread from the TypeScript sources (tsx, vitest): the thread does not
// inherit the main thread's TypeScript loader. @NOTE plain JavaScript, like pglite-worker.mjs;
// the compiled build starts workers-thread-entry.js directly and never loads this file.
import { register } from 'tsx/esm/api'

register()
await import('./workers-thread-entry.ts')
