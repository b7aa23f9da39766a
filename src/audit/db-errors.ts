/**
 * Which database failures mean "the database is away" (try again shortly) and which mean "this
 * input cannot be stored" (trying again will not help). Shared by the Postgres adapter, the
 * workers and the HTTP error pages.
 */
import { AppError, isAppError } from '../errors.js'

// @NOTE SQLSTATE class 08 is connection exceptions; 57P01-57P03 are admin shutdown (this is what
// pg_terminate_backend sends), crash shutdown and "cannot connect now" (starting up)
const AWAY_STATES = new Set(['57P01', '57P02', '57P03', '53300'])
const AWAY_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])
const AWAY_MESSAGES = [
  'Connection terminated',
  'connection error',
  'is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed',
]

/** True when the error says the connection or the server went away, not that the SQL was wrong. */
export function isConnectionLoss(err: unknown): boolean {
  if (isAppError(err)) return err.code === 'dependency_unavailable'
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') {
    if (code.startsWith('08') || AWAY_STATES.has(code) || AWAY_NODE_CODES.has(code)) return true
  }
  return AWAY_MESSAGES.some((m) => err.message.includes(m))
}

/**
 * True when the input itself cannot be stored: a Postgres data exception (class 22, e.g. a NUL
 * byte or a broken surrogate in jsonb) or our own validation refusing it.
 */
export function isUnstorableInput(err: unknown): boolean {
  if (isAppError(err)) return err.code === 'message_invalid'
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('22')
}

/** The error callers see while the audit store is away: retryable, and free of SQL or URLs. */
export function auditStoreAway(cause: unknown): AppError {
  return new AppError('dependency_unavailable', 'the audit store is not reachable just now', {
    retryable: true,
    cause,
  })
}
