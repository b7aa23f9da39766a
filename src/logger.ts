import { type DestinationStream, pino } from 'pino'
import { PinoPretty } from 'pino-pretty'

/**
 * The only place loggers are made. @NOTE comment text and tokens are personal data or secrets:
 * the redact list below is a safety net, but code must never pass them to a logger at all.
 */
export const rootLogger = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    base: { service: 'wardguard' },
    redact: {
      paths: [
        'text',
        '*.text',
        'token',
        '*.token',
        'accessToken',
        '*.accessToken',
        'access_token',
        '*.access_token',
        'authorization',
        '*.authorization',
        'headers.authorization',
        'req.headers.authorization',
        'secret',
        '*.secret',
        'password',
        '*.password',
      ],
      censor: '[redacted]',
    },
  },
  destination(),
)

/**
 * Readable lines for a person at a terminal, JSON for everything else (log collectors, files,
 * pipes). LOG_FORMAT=json or pretty overrides the guess.
 * @NOTE pino-pretty runs in this thread as a stream, not as a transport worker: no extra thread
 * to start, find in dist/ or drain at shutdown.
 */
function destination(): DestinationStream | undefined {
  const format = process.env.LOG_FORMAT
  const pretty = format === 'pretty' || (format !== 'json' && process.stdout.isTTY === true)
  if (!pretty) return undefined
  return PinoPretty({
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service,subsystem',
    messageFormat: '{if subsystem}{subsystem}: {end}{msg}',
    hideObject: false,
    sync: true,
  })
}

export const httpLogger = rootLogger.child({ subsystem: 'http' })
export const queueLogger = rootLogger.child({ subsystem: 'queue' })
export const auditLogger = rootLogger.child({ subsystem: 'audit' })
export const connectorLogger = rootLogger.child({ subsystem: 'connector' })
export const serviceLogger = rootLogger.child({ subsystem: 'service' })

const named = [rootLogger, httpLogger, queueLogger, auditLogger, connectorLogger, serviceLogger]

/**
 * Applies LOG_LEVEL from the validated config (which may come from a .env file read after
 * this module loaded). @NOTE pino children copy their level when made, so each is set here.
 */
export function setLogLevel(level: string): void {
  if (process.env.NODE_ENV === 'test' && !process.env.LOG_LEVEL) return
  for (const logger of named) logger.level = level
}
