import { z } from 'zod'

/**
 * Every environment variable Wardguard reads, validated in one place. Structure (accounts,
 * channels, moderators, policy) lives in YAML; this is for secrets and deployment settings.
 * .env.example documents each one: keep the two in step.
 */
const optionalUrl = z.url().optional()
const optionalSecret = z.string().min(1).optional()
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback)

export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WARDGUARD_CONFIG: z.string().min(1).default('config/wardguard.yaml'),
  WARDGUARD_POLICY: z.string().min(1).optional(),
  REDIS_URL: optionalUrl,
  REDIS_SERVER_BIN: z.string().min(1).optional(),
  DATABASE_URL: optionalUrl,
  BODY_LIMIT_BYTES: positiveInt(1_048_576),
  SHUTDOWN_TIMEOUT_MS: positiveInt(15_000),
  FACEBOOK_APP_SECRET: optionalSecret,
  FACEBOOK_VERIFY_TOKEN: optionalSecret,
  FACEBOOK_GRAPH_URL: z.url().default('https://graph.facebook.com'),
  FACEBOOK_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v24.0')
    .default('v24.0'),
  X_CONSUMER_SECRET: optionalSecret,
  X_API_URL: z.url().default('https://api.x.com'),
  X_POLL_INTERVAL_SECONDS: positiveInt(60),
  SLACK_BOT_TOKEN: optionalSecret,
  SLACK_SIGNING_SECRET: optionalSecret,
  SLACK_APP_TOKEN: optionalSecret,
  SLACK_API_URL: z.url().default('https://slack.com/api/'),
  /** signs audit web app session cookies; at least 32 characters. Unset: made once under DATA_DIR */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  RETENTION_ALLOWED_DAYS: positiveInt(30),
  RETENTION_REMOVED_DAYS: positiveInt(365),
  ACT_RATE_PER_SECOND: positiveInt(10),
  WORKER_CONCURRENCY: positiveInt(8),
  /** how long a job stays locked to a worker that stopped answering (crashed) before another takes it */
  WORKER_LOCK_MS: positiveInt(30_000),
})
export type Env = z.infer<typeof EnvSchema>

/** Keys whose values are secrets: never logged, never echoed back in an error. */
export const SECRET_ENV_KEYS = [
  'FACEBOOK_APP_SECRET',
  'FACEBOOK_VERIFY_TOKEN',
  'X_CONSUMER_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SESSION_SECRET',
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
