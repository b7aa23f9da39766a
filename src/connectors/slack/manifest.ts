import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseDocument } from 'yaml'
import { z } from 'zod'
import { ConfigError } from '../../errors.js'
import { REPO_ROOT } from '../../moderation/repo-root.js'

/**
 * The Slack app manifest in config/: the one place the bot scopes are listed. `slack check`
 * reads the required scopes from it, and `slack manifest` prints it with the real host.
 */
export const SLACK_MANIFEST_PATH = path.join(REPO_ROOT, 'config', 'slack-app-manifest.yaml')

/** The host written in the file; `renderSlackManifest` replaces it. */
export const MANIFEST_PLACEHOLDER_HOST = 'https://wardguard.example.council.gov.uk'

/** Only the parts Wardguard reads; Slack itself validates the rest when the app is created. */
export const SlackManifestSchema = z.object({
  display_information: z.object({ name: z.string().min(1).max(35) }),
  features: z.object({
    bot_user: z.object({ display_name: z.string().regex(/^[a-z0-9._-]{1,80}$/) }),
  }),
  oauth_config: z.object({
    scopes: z.object({ bot: z.array(z.string().regex(/^[a-z.:_-]+$/)).min(1) }),
  }),
  settings: z.object({
    interactivity: z.object({ is_enabled: z.boolean(), request_url: z.url().optional() }),
    event_subscriptions: z
      .object({ request_url: z.url().optional(), bot_events: z.array(z.string()).optional() })
      .optional(),
    org_deploy_enabled: z.boolean(),
    socket_mode_enabled: z.boolean(),
  }),
})
export type SlackManifest = z.infer<typeof SlackManifestSchema>

export type LoadedManifest = { text: string; manifest: SlackManifest }

export function readSlackManifest(file: string = SLACK_MANIFEST_PATH): LoadedManifest {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new ConfigError(`${file}: the Slack app manifest could not be read`)
  }
  return { text, manifest: parseSlackManifest(text, file) }
}

export function parseSlackManifest(text: string, name = 'slack-app-manifest.yaml'): SlackManifest {
  const doc = parseDocument(text)
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => `${name}: ${e.message.split('\n')[0]}`))
  }
  const parsed = SlackManifestSchema.safeParse(doc.toJS())
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${name}: ${i.path.join('.')}: ${i.message}`),
    )
  }
  return parsed.data
}

export function manifestBotScopes(manifest: SlackManifest): string[] {
  return [...new Set(manifest.oauth_config.scopes.bot)].sort()
}

/** Every URL Slack will call: interactivity, and event subscriptions if any. */
export function manifestRequestUrls(manifest: SlackManifest): string[] {
  const s = manifest.settings
  return [s.interactivity.request_url, s.event_subscriptions?.request_url].filter(
    (u): u is string => typeof u === 'string',
  )
}

/**
 * The manifest text to paste into Slack, comments kept. `baseUrl` replaces the placeholder host
 * (an https URL, optionally with a path prefix for a proxy); `socketMode` switches Socket Mode on
 * and drops the request URLs, which Slack then does not use.
 */
export function renderSlackManifest(
  text: string,
  opts: { baseUrl?: string; baseUrlFrom?: string; socketMode?: boolean } = {},
): string {
  let out = text
  if (opts.baseUrl)
    out = out.replaceAll(MANIFEST_PLACEHOLDER_HOST, publicBase(opts.baseUrl, opts.baseUrlFrom))
  if (!opts.socketMode) return out
  const doc = parseDocument(out)
  doc.setIn(['settings', 'socket_mode_enabled'], true)
  doc.deleteIn(['settings', 'interactivity', 'request_url'])
  if (doc.hasIn(['settings', 'event_subscriptions'])) {
    doc.deleteIn(['settings', 'event_subscriptions', 'request_url'])
  }
  return doc.toString()
}

/** Slack only calls https URLs; a trailing slash would give `//slack/events`. */
export function publicBase(url: string, from = '--url'): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new ConfigError(
      `${from}: ${url} is not a URL; give the public https address of Wardguard`,
    )
  }
  if (u.protocol !== 'https:') {
    throw new ConfigError(
      `${from}: Slack only calls https URLs (got ${u.protocol}); with no public https URL, use --socket-mode`,
    )
  }
  if (u.search || u.hash) throw new ConfigError(`${from}: give the address without ?query or #hash`)
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`
}
