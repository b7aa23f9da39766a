import type { Logger } from 'pino'

/** What middleware puts on the Hono context for the handlers after it. */
export type HonoEnv = { Variables: { requestId: string; logger: Logger } }
