import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseDocument } from 'yaml'
import type { z } from 'zod'
import { ConfigError } from '../errors.js'
import { type ServiceFile, ServiceFileSchema } from './accounts.js'
import { type Env, parseEnv } from './env.js'
import { findUnknownKeys } from './unknown-keys.js'

export type Secrets = {
  /**
   * account id → platform token, read from the variable the account names in `tokenEnv`. Accounts
   * without `tokenEnv` are absent here: their token is in the encrypted store (src/accounts/).
   */
  accountTokens: ReadonlyMap<string, string>
}

export type Config = {
  env: Env
  file: ServiceFile
  /** where the YAML came from, or null when none was found and the defaults apply */
  configPath: string | null
  secrets: Secrets
}

/**
 * Checks an account's `policy:` block; returns problems as `key: message` lines relative to it.
 * @NOTE injected so that config/ does not depend on the moderation engine's internals.
 */
export type PolicyOverrideCheck = (overrides: unknown) => string[]

export type LoadOptions = {
  env?: NodeJS.ProcessEnv
  cwd?: string
  checkPolicy?: PolicyOverrideCheck
}

/**
 * Reads the environment and the YAML, and checks them together. Every problem is collected and
 * thrown once as a ConfigError, so a bad deployment is fixed in one pass, not one key at a time.
 */
export function loadConfig(opts: LoadOptions = {}): Config {
  const rawEnv = opts.env ?? process.env
  const cwd = opts.cwd ?? process.cwd()
  const problems: string[] = []

  const envResult = parseEnv(rawEnv)
  if (!envResult.ok) problems.push(...envResult.problems)

  const explicit = Boolean(rawEnv.WARDGUARD_CONFIG)
  const configPath = path.resolve(cwd, rawEnv.WARDGUARD_CONFIG || 'config/wardguard.yaml')
  let file: ServiceFile = ServiceFileSchema.parse({})
  let rawAccounts: unknown[] = []
  let foundPath: string | null = null

  if (existsSync(configPath)) {
    foundPath = configPath
    const read = readServiceFile(configPath)
    rawAccounts = read.rawAccounts
    if (read.ok) file = read.file
    else problems.push(...read.problems)
  } else if (explicit) {
    problems.push(`WARDGUARD_CONFIG: file ${configPath} does not exist`)
  }

  // @NOTE cross-checks read the raw accounts, so a schema error elsewhere hides nothing
  problems.push(...crossCheck(rawAccounts, rawEnv, opts.checkPolicy))
  if (!envResult.ok || problems.length > 0) throw new ConfigError(problems)

  const accountTokens = new Map<string, string>()
  for (const account of file.accounts) {
    if (account.tokenEnv) accountTokens.set(account.id, rawEnv[account.tokenEnv] as string)
  }
  return { env: envResult.env, file, configPath: foundPath, secrets: { accountTokens } }
}

type ReadResult = { rawAccounts: unknown[] } & (
  | { ok: true; file: ServiceFile }
  | { ok: false; problems: string[] }
)

function readServiceFile(file: string): ReadResult {
  const name = path.relative(process.cwd(), file) || file
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true })
  if (doc.errors.length > 0) {
    return {
      ok: false,
      rawAccounts: [],
      problems: doc.errors.map((e) => `${name}: YAML syntax error: ${e.message.split('\n')[0]}`),
    }
  }
  const data = doc.toJS() ?? {}
  const accounts = (data as { accounts?: unknown }).accounts
  const rawAccounts = Array.isArray(accounts) ? accounts : []
  const parsed = ServiceFileSchema.safeParse(data)
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${name}: ${describeIssue(i, data)}`)
  // a misspelt key is an error, not a setting quietly lost
  for (const unknown of findUnknownKeys(ServiceFileSchema, data)) {
    const hint = unknown.suggestion ? `; did you mean "${unknown.suggestion}"?` : ''
    const where = describePath([...unknown.path, unknown.key], data)
    problems.push(`${name}: ${where}: is not a known setting${hint}`)
  }
  if (parsed.success && problems.length === 0) return { ok: true, rawAccounts, file: parsed.data }
  return { ok: false, rawAccounts, problems }
}

/** `accounts[0] (cllr-patel).review.channel: Required` — the account's id helps find it in a long file. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  return `${describePath(issue.path, data)}: ${issue.message}`
}

function describePath(path: readonly PropertyKey[], data: unknown): string {
  let out = ''
  let node: unknown = data
  for (const key of path) {
    if (typeof key === 'number') {
      out += `[${key}]`
      node = Array.isArray(node) ? node[key] : undefined
      const id = (node as { id?: unknown } | undefined)?.id
      if (typeof id === 'string') out += ` (${id})`
    } else {
      out += out ? `.${String(key)}` : String(key)
      node = (node as Record<string, unknown> | undefined)?.[String(key)]
    }
  }
  return out || '(top level)'
}

type RawAccount = Partial<
  Record<'id' | 'platform' | 'tokenEnv' | 'ingest' | 'pageId' | 'userId', unknown>
> & {
  policy?: unknown
}

function crossCheck(
  accounts: unknown[],
  rawEnv: NodeJS.ProcessEnv,
  checkPolicy: PolicyOverrideCheck | undefined,
): string[] {
  const problems: string[] = []
  const seenIds = new Set<string>()
  const seenPlatformIds = new Set<string>()
  const list = accounts.filter((a): a is RawAccount => typeof a === 'object' && a !== null)
  list.forEach((account, i) => {
    const where = `accounts[${i}] (${String(account.id)})`
    const id = String(account.id)
    if (seenIds.has(id)) problems.push(`${where}.id: duplicate account id`)
    seenIds.add(id)
    const platformId = String(account.platform === 'x' ? account.userId : account.pageId)
    const platformKey = `${String(account.platform)}.${platformId}`
    if (seenPlatformIds.has(platformKey)) {
      problems.push(`${where}: ${String(account.platform)} id ${platformId} is configured twice`)
    }
    seenPlatformIds.add(platformKey)
    if (typeof account.tokenEnv === 'string' && !rawEnv[account.tokenEnv]) {
      problems.push(`${where}.tokenEnv: environment variable ${account.tokenEnv} is not set`)
    }
    if (account.policy !== undefined && checkPolicy) {
      for (const p of checkPolicy(account.policy)) problems.push(`${where}.policy.${p}`)
    }
  })
  const needs = (key: string, why: string) => {
    if (!rawEnv[key]) problems.push(`${key}: required because ${why} (environment variable)`)
  }
  if (list.some((a) => a.platform === 'facebook')) {
    needs('FACEBOOK_APP_SECRET', 'a Facebook Page is configured (webhook signatures)')
    needs('FACEBOOK_VERIFY_TOKEN', 'a Facebook Page is configured (webhook handshake)')
  }
  if (list.some((a) => a.platform === 'x' && a.ingest === 'webhook')) {
    needs('X_CONSUMER_SECRET', 'an X account uses ingest: webhook (CRC and signatures)')
  }
  if (rawEnv.SLACK_BOT_TOKEN && !rawEnv.SLACK_SIGNING_SECRET && !rawEnv.SLACK_APP_TOKEN) {
    problems.push(
      'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN unless SLACK_APP_TOKEN selects Socket Mode',
    )
  }
  return problems
}
