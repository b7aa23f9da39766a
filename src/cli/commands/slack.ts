import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import type { Account } from '../../config/accounts.js'
import type { Config } from '../../config/load.js'
import {
  type ChannelReport,
  checkSlack,
  createCheckClient,
  type SlackCheckReport,
} from '../../connectors/slack/check.js'
import {
  MANIFEST_PLACEHOLDER_HOST,
  manifestBotScopes,
  readSlackManifest,
  renderSlackManifest,
} from '../../connectors/slack/manifest.js'
import { ConfigError } from '../../errors.js'
import { loadServiceConfig } from '../load-service-config.js'

/** `wardguard slack check|manifest`: set up the Slack app and confirm it can do review. */
export function registerSlackCommand(program: Command): void {
  const slack = program.command('slack').description('set up and check the Slack review app')
  slack
    .command('check')
    .description(
      "check SLACK_BOT_TOKEN, its scopes against config/slack-app-manifest.yaml, and that the bot is in every account's review channel",
    )
    .option(
      '--yaml-only',
      'skip the accounts connected from the web app (read from the audit store)',
    )
    .action(async (opts: { yamlOnly?: boolean }) => {
      const config = await loadServiceConfig()
      const token = botToken(config)
      const sources = await accountsToCheck(config, !opts.yamlOnly)
      process.stdout.write(`${sources.summary}\n`)
      const report = await runSlackCheck(config, token, sources.accounts)
      process.stdout.write(formatSlackReport(report))
      // @NOTE exitCode, not exit(): stdout may still be flushing into a pipe
      process.exitCode = report.ok ? 0 : 1
    })
  slack
    .command('manifest')
    .description('print the Slack app manifest to paste into "Create New App → From a manifest"')
    .option('--url <https-url>', "Wardguard's public https address (default: PUBLIC_URL)")
    .option('--socket-mode', 'the Socket Mode variant: no public URL, needs SLACK_APP_TOKEN')
    .action((opts: { url?: string; socketMode?: boolean }) => {
      const { text } = readSlackManifest()
      const baseUrl = opts.url ?? (process.env.PUBLIC_URL || undefined)
      const out = renderSlackManifest(text, {
        baseUrl: opts.socketMode ? undefined : baseUrl,
        baseUrlFrom: opts.url ? '--url' : 'PUBLIC_URL',
        socketMode: opts.socketMode,
      })
      process.stdout.write(out)
      if (!baseUrl && !opts.socketMode) {
        process.stderr.write(
          `wardguard: no --url or PUBLIC_URL given: replace ${MANIFEST_PLACEHOLDER_HOST} with Wardguard's public https address\n`,
        )
      }
    })
}

function botToken(config: Config): string {
  const token = config.env.SLACK_BOT_TOKEN
  if (token) return token
  throw new ConfigError(
    'SLACK_BOT_TOKEN: not set. Create the Slack app from config/slack-app-manifest.yaml, install it, and put its Bot User OAuth Token (xoxb-…) in SLACK_BOT_TOKEN (see docs/slack-setup.md)',
  )
}

async function runSlackCheck(
  config: Config,
  token: string,
  accounts: Account[],
): Promise<SlackCheckReport> {
  const { env } = config
  const requiredScopes = manifestBotScopes(readSlackManifest().manifest)
  return checkSlack({
    client: createCheckClient(token, env.SLACK_API_URL),
    channels: accounts.map((a) => ({ accountId: a.id, channel: a.review.channel })),
    requiredScopes,
    appClient: env.SLACK_APP_TOKEN
      ? createCheckClient(env.SLACK_APP_TOKEN, env.SLACK_API_URL)
      : undefined,
  })
}

/**
 * The YAML accounts, plus those connected from the web app or CLI (kept in the audit store).
 * @NOTE the embedded PGlite store is one process's database, as for `wardguard users`: with the
 * service running on it, use --yaml-only. A store that does not exist yet is not created.
 */
async function accountsToCheck(
  config: Config,
  readStore: boolean,
): Promise<{ accounts: Account[]; summary: string }> {
  const yaml = config.file.accounts
  const { env } = config
  const storeExists =
    Boolean(env.DATABASE_URL) || existsSync(path.join(path.resolve(env.DATA_DIR), 'pglite'))
  const yamlPart = `${yaml.length} from ${config.configPath ? path.basename(config.configPath) : 'YAML (no file)'}`
  if (!readStore || !storeExists) {
    const why = readStore ? 'no audit store yet' : '--yaml-only'
    return {
      accounts: [...yaml],
      summary: `accounts: ${yamlPart} (connected accounts not read: ${why})`,
    }
  }
  const [{ listConnectedAccounts }, { withAuditStore }] = await Promise.all([
    import('../../accounts/account-store.js'),
    import('../../web/open-store.js'),
  ])
  const connected = await withAuditStore(env, (db) => listConnectedAccounts(db))
  const inYaml = new Set(yaml.map((a) => a.id))
  // @NOTE an account listed in YAML is managed there; its stored row only holds tokens
  const extra = connected.filter((a) => !inYaml.has(a.id))
  return {
    accounts: [...yaml, ...extra],
    summary: `accounts: ${yamlPart}, ${extra.length} connected from the web app or CLI`,
  }
}

const STATUS_LABEL: Record<ChannelReport['status'], string> = {
  ok: 'ok',
  not_member: 'BOT NOT IN CHANNEL',
  not_found: 'NOT FOUND',
  archived: 'ARCHIVED',
  unchecked: 'NOT CHECKED',
}

/** The report a person reads: what is fine, then each problem with its fix. */
export function formatSlackReport(r: SlackCheckReport): string {
  const lines: string[] = []
  if (r.bot) {
    lines.push(
      `token: ok, workspace ${r.bot.team || '?'} (${r.bot.teamId}), bot @${r.bot.user} (${r.bot.userId})`,
    )
    lines.push(
      r.grantedScopes
        ? `scopes granted: ${r.grantedScopes.join(', ') || '(none)'}`
        : 'scopes granted: unknown',
    )
    if (r.missingScopes.length) lines.push(`scopes missing: ${r.missingScopes.join(', ')}`)
    if (r.channels.length === 0) {
      lines.push('review channels: none configured yet (config/wardguard.yaml accounts)')
    } else {
      lines.push('review channels:')
      for (const ch of r.channels) {
        const name = ch.name ? `#${ch.name} (${ch.channel})` : ch.channel
        lines.push(`  ${STATUS_LABEL[ch.status].padEnd(20)}${name}: ${ch.accountIds.join(', ')}`)
      }
    }
  } else {
    lines.push('token: NOT OK')
  }
  if (r.socketMode) lines.push(`socket mode (SLACK_APP_TOKEN): ${r.socketMode}`)
  if (r.ok) {
    lines.push('Slack is ready for review.')
    return `${lines.join('\n')}\n`
  }
  lines.push('', `${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}:`)
  r.problems.forEach((p, i) => {
    lines.push(`  ${i + 1}. ${p.what}`, `     fix: ${p.fix}`)
  })
  return `${lines.join('\n')}\n`
}
