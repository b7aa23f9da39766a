import { type Logger, LogLevel } from '@slack/bolt'
import type { Logger as PinoLogger } from 'pino'

/**
 * Bolt and the Socket Mode client log through this, so their lines land in our pino output.
 * @NOTE only strings and error messages pass: objects Bolt hands to its logger can hold payloads,
 * and a payload holds comment text. Debug is dropped outright: @slack/web-api and the Socket Mode
 * client put whole request bodies and envelopes (blocks with the comment) into debug strings.
 */
export function boltLogger(log: PinoLogger): Logger {
  const line = (msgs: unknown[]) =>
    msgs
      .map((m) => {
        if (typeof m === 'string') return m
        if (m instanceof Error) return `${m.name}: ${m.message}`
        return '[object]'
      })
      .join(' ')
  return {
    debug: () => {},
    info: (...msgs) => log.info(line(msgs)),
    warn: (...msgs) => log.warn(line(msgs)),
    error: (...msgs) => log.error(line(msgs)),
    // @NOTE pino's level is set once for the whole service (LOG_LEVEL), not per library
    setLevel: () => {},
    getLevel: () => {
      const level = log.level
      if (level === 'debug' || level === 'trace' || level === 'info') return LogLevel.INFO
      if (level === 'warn') return LogLevel.WARN
      return LogLevel.ERROR
    },
    setName: () => {},
  }
}
