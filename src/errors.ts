/**
 * The few named errors of Wardguard. Each carries a snake_case `code` and says whether a retry
 * could help; the queue layer turns non-retryable ones into BullMQ's UnrecoverableError.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'signature_invalid'
  | 'message_invalid'
  | 'platform_throttled'
  | 'platform_unavailable'
  | 'platform_token_invalid'
  | 'platform_object_gone'
  | 'platform_forbidden'
  | 'platform_rejected'
  | 'dependency_missing'
  /** Redis or the audit store did not answer: try again shortly */
  | 'dependency_unavailable'

export class AppError extends Error {
  name = 'AppError'
  readonly code: ErrorCode
  readonly retryable: boolean

  constructor(
    code: ErrorCode,
    message: string,
    opts: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause })
    this.code = code
    this.retryable = opts.retryable ?? false
  }
}

/** Bad configuration: the message names every wrong key. Never retryable. */
export class ConfigError extends AppError {
  name = 'ConfigError'
  readonly problems: string[]

  constructor(problems: string[] | string) {
    const list = Array.isArray(problems) ? problems : [problems]
    super('config_invalid', `Invalid configuration:\n${list.map((p) => `  - ${p}`).join('\n')}`)
    this.problems = list
  }
}

export type Platform = 'facebook' | 'x'

/** A platform API said no, or could not be reached. `retryAfterMs` comes from rate-limit headers. */
export class PlatformError extends AppError {
  name = 'PlatformError'
  readonly platform: Platform
  readonly status: number | null
  readonly platformCode: number | null
  readonly retryAfterMs: number | null

  constructor(
    code: ErrorCode,
    message: string,
    opts: {
      platform: Platform
      status?: number | null
      platformCode?: number | null
      retryAfterMs?: number | null
      retryable?: boolean
      cause?: unknown
    },
  ) {
    super(code, message, { retryable: opts.retryable, cause: opts.cause })
    this.platform = opts.platform
    this.status = opts.status ?? null
    this.platformCode = opts.platformCode ?? null
    this.retryAfterMs = opts.retryAfterMs ?? null
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError
}
