// A thread started from the TypeScript sources (start-thread.ts): registers tsx, then imports the
// module named first in argv. @NOTE plain JavaScript, because the thread has no TypeScript
// loader yet; the compiled build never loads this file.
import { register } from 'tsx/esm/api'

register()
await import(process.argv[2])
