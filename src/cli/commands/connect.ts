import { createInterface } from 'node:readline'
import type { Command } from 'commander'
import type { AccountSettings } from '../../accounts/onboarding.js'
import { AppError, ConfigError } from '../../errors.js'
import { cliActor, readSecretArg, withCliOnboarding } from './cli-onboarding.js'

/** The flags that describe a newly watched account (the YAML file's fields). */
type SettingsFlags = {
  id?: string
  name?: string
  owner?: string
  ownerEmail?: string
  channel?: string
  moderators?: string
  replyWithExplanation?: boolean
  by?: string
}

/**
 * `wardguard connect facebook|x`: the web app's Connect buttons for headless setups. Tokens are
 * sealed in the store (TOKEN_ENCRYPTION_KEY) and never printed.
 */
export function registerConnectCommand(program: Command): void {
  const connect = program
    .command('connect')
    .description('connect a Facebook Page or an X account (the same as Accounts in the web app)')

  settingsOptions(
    connect
      .command('facebook')
      .description(
        'list the Pages a Facebook user can moderate, or connect some (--page): subscribes the webhook and stores the Page token',
      )
      .requiredOption(
        '--user-token <token>',
        'a Facebook user access token of someone who moderates the Page; "-" reads it from standard input (keeps it out of shell history)',
      )
      .option('--page <id...>', 'the Page ids to connect; without it, the Pages are listed'),
  ).action(async (opts: SettingsFlags & { userToken: string; page?: string[] }) => {
    const userToken = readSecretArg(opts.userToken)
    if (!userToken) throw new AppError('message_invalid', '--user-token: the token is empty')
    await connectFacebook(userToken, opts.page ?? [], opts)
  })

  settingsOptions(
    connect
      .command('x')
      .description(
        'print the X authorize address, then read the address X sends the browser back to (or its code) from standard input',
      )
      .option(
        '--redirect-uri <url>',
        'the callback URL registered in the X app (default PUBLIC_URL/audit/accounts/x/callback)',
      ),
  ).action(async (opts: SettingsFlags & { redirectUri?: string }) => {
    await connectX(opts)
  })
}

function settingsOptions(cmd: Command): Command {
  return cmd
    .option('--id <id>', 'new accounts: the account id (lower-case letters, digits, hyphens)')
    .option('--name <name>', 'new accounts: display name (default: the Page name or @handle)')
    .option('--owner <name>', 'new accounts: the councillor who owns it')
    .option('--owner-email <email>', 'new accounts: the owner’s email')
    .option('--channel <id>', 'new accounts: the Slack review channel id (C0123ABCD)')
    .option('--moderators <ids>', 'new accounts: comma-separated Slack user ids (U01,U02)')
    .option('--reply-with-explanation', 'new accounts: reply to authors with the explanation')
    .option('--by <name>', 'who connects it, for the audit trail (default cli:<your user>)')
}

async function connectFacebook(userToken: string, pageIds: string[], flags: SettingsFlags) {
  const [oauth, fb, onboarding, store] = await Promise.all([
    import('../../connectors/facebook/oauth.js'),
    import('../../accounts/connect-facebook.js'),
    import('../../accounts/onboarding.js'),
    import('../../accounts/token-store.js'),
  ])
  await withCliOnboarding(async ({ ob, changeNote }) => {
    const why = 'to turn the user token into a long-lived one'
    const appId = onboarding.requireSetting(ob.env, 'FACEBOOK_APP_ID', why)
    const appSecret = onboarding.requireSetting(ob.env, 'FACEBOOK_APP_SECRET', why)
    if (pageIds.length > 0) {
      // @NOTE before any platform call: a token that cannot be sealed must not be fetched
      onboarding.requireKeyring(ob)
      await store.checkKeyring(ob.db, ob.keyring)
    }
    const target = fb.graphTarget(ob)
    const long = await oauth.exchangeLongLived({ ...target, appId, appSecret, userToken })
    const pages = await oauth.listModeratablePages({ ...target, userToken: long.token })
    if (pageIds.length === 0) {
      await listPages(pages, (id) => fb.findFacebookAccount(ob, id))
      return
    }
    const chosen = pageIds.map((id) => {
      const page = pages.find((p) => p.id === id)
      if (!page)
        throw new AppError(
          'message_invalid',
          `Page ${id} is not among the Pages this Facebook user can moderate (${pages.map((p) => p.id).join(', ') || 'none'}); run without --page to list them`,
        )
      return page
    })
    // settings are checked for every Page before any is connected
    const plan = []
    for (const page of chosen) {
      const watched = await fb.findFacebookAccount(ob, page.id)
      plan.push({
        page,
        settings: watched
          ? undefined
          : settingsFrom(flags, `Page ${page.name} (${page.id})`, page.name),
      })
    }
    if (plan.filter((p) => p.settings).length > 1)
      throw new AppError(
        'message_invalid',
        'more than one of these Pages is not watched yet: connect new Pages one at a time, each with its own --id, --owner, --channel and --moderators',
      )
    const by = cliActor(flags.by)
    for (const { page, settings } of plan) {
      const result = await fb.connectFacebookPage(ob, { page, settings, by })
      process.stdout.write(
        `connected Page ${page.name} (${page.id}) as ${result.accountId}: webhook subscribed, Page token stored encrypted${result.managedIn === 'yaml' ? ' (the account itself stays managed in the YAML file)' : ''}\n`,
      )
    }
    process.stdout.write(`${changeNote()}\n`)
  })
}

async function listPages(
  pages: { id: string; name: string }[],
  watchedAs: (id: string) => Promise<{ account: { id: string }; managedIn: string } | null>,
) {
  if (pages.length === 0) {
    process.stdout.write(
      'this Facebook user cannot moderate any Page (Wardguard needs the MODERATE task on the Page)\n',
    )
    return
  }
  process.stdout.write(`Pages this Facebook user can moderate (${pages.length}):\n`)
  for (const page of pages) {
    const w = await watchedAs(page.id)
    const state = w
      ? `watched as ${w.account.id} (${w.managedIn === 'yaml' ? 'YAML' : 'web app or CLI'})`
      : 'not watched yet'
    process.stdout.write(`  ${page.id.padEnd(20)}${page.name.padEnd(32)}${state}\n`)
  }
  process.stdout.write(
    'connect one with: wardguard connect facebook --user-token - --page <id> --id <account-id> --owner "<name>" --channel <C…> --moderators <U…,U…>\n',
  )
}

async function connectX(flags: SettingsFlags & { redirectUri?: string }) {
  const [oauth, x, onboarding] = await Promise.all([
    import('../../connectors/x/oauth.js'),
    import('../../accounts/connect-x.js'),
    import('../../accounts/onboarding.js'),
  ])
  await withCliOnboarding(async ({ ob, changeNote }) => {
    const client = x.xOAuthClient(ob)
    onboarding.requireKeyring(ob)
    const redirectUri = flags.redirectUri ?? defaultRedirect(ob.env.PUBLIC_URL)
    const link = oauth.xAuthorizeLink({ ...client, redirectUri })
    process.stdout.write(
      `Open this address in a browser signed in to X as the account to connect, and authorize Wardguard:\n\n  ${link.url}\n\nX then sends the browser to ${redirectUri}?state=…&code=…\nPaste that whole address (or just the code) here and press Enter:\n`,
    )
    const answer = await readLine()
    const code = codeFrom(answer, link.state)
    const tokens = await oauth.exchangeXCode({
      ...client,
      code,
      codeVerifier: link.codeVerifier,
      redirectUri,
    })
    const watched = await x.findXAccount(ob, tokens.userId)
    let settings: AccountSettings | undefined
    try {
      settings = watched
        ? undefined
        : settingsFrom(flags, `@${tokens.username}`, `@${tokens.username}`)
    } catch (err) {
      // tokens nobody will use must not stay valid at X
      await x.revokeX(ob, tokens.refreshToken, 'refresh').catch(() => undefined)
      await x.revokeX(ob, tokens.accessToken, 'access').catch(() => undefined)
      throw err
    }
    const result = await x.connectXAccount(ob, { tokens, settings, by: cliActor(flags.by) })
    process.stdout.write(
      `connected X account @${tokens.username} as ${result.accountId}: tokens stored encrypted, refreshed automatically by the token check${result.managedIn === 'yaml' ? ' (the account itself stays managed in the YAML file)' : ''}\n${changeNote()}\n`,
    )
  })
}

function defaultRedirect(publicUrl: string | undefined): string {
  if (!publicUrl)
    throw new ConfigError(
      'PUBLIC_URL: not set; give --redirect-uri (the callback URL registered in the X app) or set PUBLIC_URL',
    )
  return new URL('/audit/accounts/x/callback', publicUrl).toString()
}

/** The code from a pasted callback address (its state checked) or a bare code. */
function codeFrom(answer: string, state: string): string {
  const text = answer.trim()
  if (!text) throw new AppError('message_invalid', 'no answer was given on standard input')
  if (!/^https?:\/\//.test(text)) return text
  const url = new URL(text)
  const error = url.searchParams.get('error')
  if (error) throw new AppError('message_invalid', `X did not authorize Wardguard (${error})`)
  if (url.searchParams.get('state') !== state)
    throw new AppError(
      'message_invalid',
      'that address belongs to another authorization (its state does not match): start again',
    )
  const code = url.searchParams.get('code')
  if (!code) throw new AppError('message_invalid', 'that address has no code in it')
  return code
}

function readLine(): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin })
    let done = false
    rl.on('line', (line) => {
      if (done || line.trim() === '') return
      done = true
      rl.close()
      resolve(line)
    })
    rl.on('close', () => {
      if (!done) resolve('')
    })
  })
}

/**
 * The settings of an account not watched yet, from the flags. Every missing flag is named at
 * once, before anything is done on the platform.
 */
function settingsFrom(flags: SettingsFlags, what: string, defaultName: string): AccountSettings {
  const missing = (['id', 'owner', 'channel', 'moderators'] as const)
    .filter((k) => !flags[k])
    .map((k) => `--${k}`)
  if (missing.length > 0)
    throw new AppError(
      'message_invalid',
      `${what} is not watched yet, so it needs its settings: missing ${missing.join(', ')}`,
    )
  return {
    id: flags.id ?? '',
    name: flags.name ?? defaultName,
    owner: { name: flags.owner ?? '', ...(flags.ownerEmail ? { email: flags.ownerEmail } : {}) },
    review: {
      channel: flags.channel ?? '',
      moderators: (flags.moderators ?? '')
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
      ...(flags.replyWithExplanation ? { replyWithExplanation: true } : {}),
    },
  }
}
