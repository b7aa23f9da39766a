import { ConfigError, isAppError } from '../errors.js'

/**
 * The last word of a failed command: one readable message, no stack trace for the errors a
 * user can fix (configuration, a missing redis-server). Exit 2 for configuration, 1 otherwise.
 */
export function reportAndExit(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`wardguard: ${err.message}\n`)
    process.exit(2)
  }
  if (isAppError(err)) {
    process.stderr.write(`wardguard: ${err.message}\n`)
    process.exit(1)
  }
  process.stderr.write(`wardguard: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`)
  process.exit(1)
}
