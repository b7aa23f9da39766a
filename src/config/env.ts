import { z } from 'zod'
import { decodeKeyText, KEY_FORMAT_HINT } from '../accounts/keyring.js'

/**
 * Every environment variable Wardguard reads, validated in one place. Structure (accounts,
 * channels, moderators, policy) lives in YAML; this is for secrets and deployment settings.
 * .env.example documents each one: keep the two in step.
 */
const optionalUrl = z.url().optional()
const optionalSecret = z.string().min(1).optional()
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback)
// @NOTE the format only; src/accounts/keyring.ts turns these into keys and reports the same way
const encryptionKey = z
  .string()
  .refine((v) => decodeKeyText(v) !== null, KEY_FORMAT_HINT)
  .optional()
const encryptionKeyList = z
  .string()
  .refine(
    (v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .every((s) => decodeKeyText(s) !== null),
    `each comma-separated entry ${KEY_FORMAT_HINT}`,
  )
  .optional()

export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // read by src/logger.ts itself; listed here so that a typo is refused
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  WARDGUARD_CONFIG: z.string().min(1).default('config/wardguard.yaml'),
  WARDGUARD_POLICY: z.string().min(1).optional(),
  /** a council's own model (`wardguard train --with-decisions`) in place of the policy's */
  WARDGUARD_MODEL: z.string().min(1).optional(),
  REDIS_URL: optionalUrl,
  REDIS_SERVER_BIN: z.string().min(1).optional(),
  DATABASE_URL: optionalUrl,
  BODY_LIMIT_BYTES: positiveInt(1_048_576),
  SHUTDOWN_TIMEOUT_MS: positiveInt(15_000),
  /** the Facebook app's id, for the Facebook Login dialog and debug_token (not a secret) */
  FACEBOOK_APP_ID: z.string().regex(/^\d+$/, 'a Facebook app id is all digits').optional(),
  FACEBOOK_APP_SECRET: optionalSecret,
  FACEBOOK_VERIFY_TOKEN: optionalSecret,
  FACEBOOK_GRAPH_URL: z.url().default('https://graph.facebook.com'),
  FACEBOOK_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v24.0')
    .default('v24.0'),
  /** where the Facebook Login dialog lives (tests and simulators override it) */
  FACEBOOK_DIALOG_URL: z.url().default('https://www.facebook.com'),
  X_CONSUMER_SECRET: optionalSecret,
  X_API_URL: z.url().default('https://api.x.com'),
  X_POLL_INTERVAL_SECONDS: positiveInt(60),
  /** OAuth 2.0 client id of the X app (connect an X account); the secret only for confidential clients */
  X_CLIENT_ID: z.string().min(1).optional(),
  X_CLIENT_SECRET: optionalSecret,
  X_AUTHORIZE_URL: z.url().default('https://x.com/i/oauth2/authorize'),
  SLACK_BOT_TOKEN: optionalSecret,
  SLACK_SIGNING_SECRET: optionalSecret,
  SLACK_APP_TOKEN: optionalSecret,
  SLACK_API_URL: z.url().default('https://slack.com/api/'),
  /**
   * where escalation mail goes out (threats, safeguarding, a moderator's Escalate), e.g.
   * smtps://user:pass@smtp.example.gov.uk:465; unset: escalations raise an alert in Slack instead
   */
  SMTP_URL: optionalSecret,
  /** the From of escalation mail */
  MAIL_FROM: z.string().min(3).default('Wardguard <wardguard@localhost>'),
  /** first wait before an escalation mail the server refused is tried again; doubles each time */
  ESCALATION_RETRY_MS: positiveInt(30_000),
  /**
   * a proxy in front sets X-Forwarded-For and X-Forwarded-Proto: believe its last entry (for the
   * sign-in throttle's address and Secure cookies). Off: only the socket is believed
   */
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default('false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  /** password checks (scrypt) at once in the web app; further sign-ins get a quick 503 */
  SIGNIN_HASH_CONCURRENCY: positiveInt(2),
  /** bearer token for GET /metrics; unset: /metrics answers only requests from this machine */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** signs audit chain checkpoints (`wardguard audit checkpoint`); at least 32 characters */
  AUDIT_CHECKPOINT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** signs audit web app session cookies; at least 32 characters. Unset: made once under DATA_DIR */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** seals stored account tokens (AES-256-GCM): 32 bytes as base64 or hex. Unset: none can be stored */
  TOKEN_ENCRYPTION_KEY: encryptionKey,
  /** earlier keys, still accepted for reading until `wardguard tokens rotate` re-seals under the new one */
  TOKEN_ENCRYPTION_PREVIOUS_KEYS: encryptionKeyList,
  /** warn the review channel this many days before a token expires */
  TOKEN_WARN_DAYS: positiveInt(7),
  TOKEN_CHECK_INTERVAL_HOURS: positiveInt(24),
  RETENTION_ALLOWED_DAYS: positiveInt(30),
  RETENTION_REMOVED_DAYS: positiveInt(365),
  /** a ceiling only: each account is paced by its platform's rate-limit headers below it */
  ACT_RATE_PER_SECOND: positiveInt(100),
  /** a webhook answers 503 when Redis has not taken its jobs within this many milliseconds */
  ENQUEUE_TIMEOUT_MS: positiveInt(1_500),
  WORKER_CONCURRENCY: positiveInt(8),
  /** how long a job stays locked to a worker that stopped answering (crashed) before another takes it */
  WORKER_LOCK_MS: positiveInt(30_000),
  /**
   * CPU priority (nice, 0-19) a `--role worker` process gives itself, so that web processes on
   * the same machine acknowledge webhooks before moderation work; 0 leaves it alone
   */
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * Where the moderate and act workers run in one process (`--role all`) on the embedded store:
   * `thread` (a worker thread of their own at WORKER_NICE, so classification and audit writes
   * never hold up a webhook's answer) or `inline` (on the thread that answers webhooks)
   */
  WORKERS: z.enum(['thread', 'inline']).default('thread'),
})
export type Env = z.infer<typeof EnvSchema>

/** Keys whose values are secrets: never logged, never echoed back in an error. */
export const SECRET_ENV_KEYS = [
  'SMTP_URL',
  'FACEBOOK_APP_SECRET',
  'FACEBOOK_VERIFY_TOKEN',
  'X_CONSUMER_SECRET',
  'X_CLIENT_SECRET',
  'TOKEN_ENCRYPTION_KEY',
  'TOKEN_ENCRYPTION_PREVIOUS_KEYS',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SESSION_SECRET',
  'METRICS_TOKEN',
  'AUDIT_CHECKPOINT_KEY',
  'DATABASE_URL',
  'REDIS_URL',
] as const

/** Parses the environment; problems come back as `KEY: what is wrong` lines, values never shown. */
export function parseEnv(
  env: NodeJS.ProcessEnv,
): { ok: true; env: Env } | { ok: false; problems: string[] } {
  // @NOTE empty strings in .env files mean "unset", as most tools treat them
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  )
  const parsed = EnvSchema.safeParse(cleaned)
  if (parsed.success) return { ok: true, env: parsed.data }
  return {
    ok: false,
    problems: parsed.error.issues.map(
      (i) => `${i.path.join('.')}: ${i.message} (environment variable)`,
    ),
  }
}
