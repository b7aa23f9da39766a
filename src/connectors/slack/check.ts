import { webApi } from '@slack/bolt'
import type { Slack } from './decision.js'
import { toSlackApiError } from './errors.js'

/**
 * `wardguard slack check`: is the bot token good, does it have the scopes the manifest lists,
 * and is the bot in every review channel? Each problem comes with the fix an admin can apply.
 */

/**
 * Every Slack Web API method Wardguard calls with the bot token, and the bot scopes it needs.
 * @NOTE a test scans src/ for WebClient calls and fails on a method missing here, and checks
 * config/slack-app-manifest.yaml asks for exactly these scopes: add a call, add it here.
 */
export const SLACK_METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  // a trigger_id from a click is the permission; no scope
  'views.open': [],
  // public channels need channels:read, private ones groups:read; a review channel may be either
  'conversations.info': ['channels:read', 'groups:read'],
  'users.info': ['users:read'],
}

/** Socket Mode only, with the app-level token (xapp-…), not the bot token. */
export const APP_TOKEN_SCOPE = 'connections:write'

export type ReviewChannel = { accountId: string; channel: string }
export type SlackProblem = { what: string; fix: string }
export type ChannelStatus = 'ok' | 'not_member' | 'not_found' | 'archived' | 'unchecked'
export type ChannelReport = {
  channel: string
  /** the channel's name without '#', when Slack told us */
  name: string | null
  accountIds: string[]
  status: ChannelStatus
}
export type SlackBot = { team: string; teamId: string; user: string; userId: string; botId: string }

export type SlackCheckReport = {
  ok: boolean
  /** null when the token did not pass auth.test */
  bot: SlackBot | null
  /** from the x-oauth-scopes header; null when Slack sent none */
  grantedScopes: string[] | null
  missingScopes: string[]
  channels: ChannelReport[]
  /** null when no app-level token was given */
  socketMode: 'ok' | 'failed' | null
  problems: SlackProblem[]
}

export type CheckSlackInput = {
  client: Slack
  channels: ReviewChannel[]
  requiredScopes: readonly string[]
  /** a client with SLACK_APP_TOKEN, to check Socket Mode can connect */
  appClient?: Slack
}

const REFETCH =
  "copy the Bot User OAuth Token (xoxb-…) again from your Slack app's OAuth & Permissions page into SLACK_BOT_TOKEN"

/** A WebClient for one-off checks: a few quick retries, no half-hour retry policy, quiet. */
export function createCheckClient(token: string, slackApiUrl?: string): Slack {
  return new webApi.WebClient(token, {
    slackApiUrl,
    timeout: 10_000,
    retryConfig: { retries: 2, minTimeout: 500, maxTimeout: 5_000 },
    logLevel: webApi.LogLevel.ERROR,
  })
}

export async function checkSlack(input: CheckSlackInput): Promise<SlackCheckReport> {
  const problems: SlackProblem[] = []
  const report: SlackCheckReport = {
    ok: false,
    bot: null,
    grantedScopes: null,
    missingScopes: [],
    channels: groupChannels(input.channels),
    socketMode: null,
    problems,
  }

  const auth = await authTest(input.client)
  if ('problem' in auth) {
    problems.push(auth.problem)
  } else {
    report.bot = auth.bot
    report.grantedScopes = auth.scopes
    if (auth.scopes) {
      const granted = new Set(auth.scopes)
      report.missingScopes = [...new Set(input.requiredScopes)]
        .filter((s) => !granted.has(s))
        .sort()
    }
    if (report.missingScopes.length > 0) {
      problems.push({
        what: `the bot token lacks the scope${plural(report.missingScopes)} ${report.missingScopes.join(', ')}`,
        fix:
          `add ${report.missingScopes.length === 1 ? 'it' : 'them'} under OAuth & Permissions → Bot Token Scopes ` +
          '(or re-create the app from config/slack-app-manifest.yaml), then reinstall the app to the ' +
          'workspace (Install App) so the token gets them',
      })
    }
    if (auth.scopes === null) {
      problems.push({
        what: 'Slack did not say which scopes the token has (no x-oauth-scopes header)',
        fix: 'check the token is a bot token (xoxb-…) and SLACK_API_URL points at Slack',
      })
    }
    for (const ch of report.channels) {
      const p = await checkChannel(input.client, ch, auth.bot.user)
      if (p) problems.push(p)
    }
  }

  if (input.appClient) {
    const p = await checkSocketMode(input.appClient)
    report.socketMode = p ? 'failed' : 'ok'
    if (p) problems.push(p)
  }
  report.ok = problems.length === 0
  return report
}

function groupChannels(list: ReviewChannel[]): ChannelReport[] {
  const by = new Map<string, ChannelReport>()
  for (const { accountId, channel } of list) {
    const entry = by.get(channel) ?? { channel, name: null, accountIds: [], status: 'unchecked' }
    if (!entry.accountIds.includes(accountId)) entry.accountIds.push(accountId)
    by.set(channel, entry)
  }
  return [...by.values()]
}

type AuthResult = { bot: SlackBot; scopes: string[] | null } | { problem: SlackProblem }

async function authTest(client: Slack): Promise<AuthResult> {
  let res: Awaited<ReturnType<Slack['auth']['test']>>
  try {
    res = await client.auth.test()
  } catch (err) {
    return { problem: authProblem(err, client.slackApiUrl) }
  }
  if (!res.bot_id || !res.user_id) {
    return {
      problem: {
        what: 'SLACK_BOT_TOKEN is not a bot token (auth.test names no bot)',
        fix: `use the Bot User OAuth Token, which starts with xoxb-: ${REFETCH}`,
      },
    }
  }
  const bot = {
    team: res.team ?? '',
    teamId: res.team_id ?? '',
    user: res.user ?? 'wardguard',
    userId: res.user_id,
    botId: res.bot_id,
  }
  return { bot, scopes: res.response_metadata?.scopes ?? null }
}

function authProblem(err: unknown, apiUrl: string): SlackProblem {
  const e = toSlackApiError(err, 'auth.test')
  if (e.code === 'platform_unavailable' || e.code === 'platform_throttled') {
    return {
      what: `could not reach Slack at ${apiUrl} (${e.slackError ?? 'no answer'})`,
      fix: 'check the network from this machine, and SLACK_API_URL if it is set',
    }
  }
  if (e.slackError === 'not_allowed_token_type') {
    return {
      what: 'SLACK_BOT_TOKEN is not a bot token (not_allowed_token_type)',
      fix: `the app-level token (xapp-…) belongs in SLACK_APP_TOKEN; ${REFETCH}`,
    }
  }
  return {
    what: `SLACK_BOT_TOKEN was refused by Slack (${e.slackError ?? e.code})`,
    fix: `${REFETCH}; if the app was uninstalled, install it again (Install App)`,
  }
}

/** Fills in the channel's name and status; returns the problem, if any. */
async function checkChannel(
  client: Slack,
  ch: ChannelReport,
  botName: string,
): Promise<SlackProblem | null> {
  const accounts = `account${plural(ch.accountIds)} ${ch.accountIds.join(', ')}`
  const invite = (where: string) => `invite the bot: /invite @${botName} in ${where}`
  let res: Awaited<ReturnType<Slack['conversations']['info']>>
  try {
    res = await client.conversations.info({ channel: ch.channel })
  } catch (err) {
    const e = toSlackApiError(err, 'conversations.info')
    if (e.slackError === 'channel_not_found') {
      ch.status = 'not_found'
      return {
        what: `review channel ${ch.channel} (${accounts}) does not exist, or is private and the bot is not in it`,
        fix:
          `check review.channel of ${accounts} (Slack: open the channel's details; the id is at the bottom); ` +
          `for a private channel, ${invite('it')}`,
      }
    }
    if (e.slackError === 'not_in_channel') {
      ch.status = 'not_member'
      return {
        what: `the bot is not in review channel ${ch.channel} (${accounts})`,
        fix: invite(ch.channel),
      }
    }
    ch.status = 'unchecked'
    return {
      what: `review channel ${ch.channel} (${accounts}) could not be checked (${e.slackError ?? e.code})`,
      fix:
        e.slackError === 'missing_scope'
          ? 'add the missing scopes above, then run the check again'
          : 'run the check again; if it persists, check Slack status',
    }
  }
  const info = res.channel
  ch.name = info?.name ?? null
  const label = ch.name ? `#${ch.name}` : ch.channel
  if (info?.is_archived) {
    ch.status = 'archived'
    return {
      what: `review channel ${label} (${accounts}) is archived`,
      fix: `unarchive ${label}, or give ${accounts} another review.channel`,
    }
  }
  if (!info?.is_member) {
    ch.status = 'not_member'
    return { what: `the bot is not in review channel ${label} (${accounts})`, fix: invite(label) }
  }
  ch.status = 'ok'
  return null
}

async function checkSocketMode(appClient: Slack): Promise<SlackProblem | null> {
  try {
    // @NOTE opens nothing: the returned wss:// URL is simply not used, and expires
    await appClient.apps.connections.open()
    return null
  } catch (err) {
    const e = toSlackApiError(err, 'apps.connections.open')
    if (e.code === 'platform_unavailable' || e.code === 'platform_throttled') {
      return {
        what: `could not reach Slack at ${appClient.slackApiUrl} to check SLACK_APP_TOKEN`,
        fix: 'check the network from this machine, and SLACK_API_URL if it is set',
      }
    }
    return {
      what: `SLACK_APP_TOKEN cannot open a Socket Mode connection (${e.slackError ?? e.code})`,
      fix:
        `create an app-level token with the ${APP_TOKEN_SCOPE} scope (Basic Information → App-Level Tokens), ` +
        'put it (xapp-…) in SLACK_APP_TOKEN, and switch Socket Mode on in the app settings',
    }
  }
}

function plural(list: readonly unknown[]): string {
  return list.length === 1 ? '' : 's'
}
