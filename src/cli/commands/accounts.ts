import type { Command } from 'commander'
import type { TokenInfo } from '../../accounts/token-health.js'
import { type Account, platformIdOf } from '../../config/accounts.js'
import { cliActor, withCliOnboarding } from './cli-onboarding.js'

/** `wardguard accounts list|remove`: every watched account, where it is managed, its token. */
export function registerAccountsCommand(program: Command): void {
  const accounts = program
    .command('accounts')
    .description('the watched accounts: from the YAML file and connected in the web app or CLI')
  accounts
    .command('list')
    .description('list every account: where it is managed, where its token comes from, its health')
    .action(async () => {
      const { listConnectedAccounts, listTokenInfo } = await import('../../accounts/index.js')
      await withCliOnboarding(async ({ ob, config }) => {
        const connected = await listConnectedAccounts(ob.db)
        const tokens = await listTokenInfo(ob.db)
        const rows = merge(ob.yamlAccounts, connected).map(({ account, managedIn }) =>
          row(account, managedIn, tokens, config.secrets.accountTokens),
        )
        if (rows.length === 0) {
          process.stdout.write(
            'no accounts yet: connect one in the web app (Accounts) or with `wardguard connect facebook`\n',
          )
          return
        }
        const widths = [0, 1, 2, 3, 4].map((i) =>
          Math.max(...[HEADER, ...rows].map((r) => (r[i] ?? '').length)),
        )
        for (const r of [HEADER, ...rows]) {
          const line = r.map((cell, i) => (i < 5 ? cell.padEnd((widths[i] ?? 0) + 2) : cell))
          process.stdout.write(`${line.join('').trimEnd()}\n`)
        }
      })
    })
  accounts
    .command('remove')
    .description(
      'remove an account connected in the web app or CLI: unsubscribes its webhook or revokes its X tokens, deletes its tokens, keeps its audit history',
    )
    .argument('<id>', 'the account id')
    .requiredOption('--reason <text>', 'why, for the audit trail')
    .option('--by <name>', 'who removes it, for the audit trail (default cli:<your user>)')
    .action(async (id: string, opts: { reason: string; by?: string }) => {
      const { removeAccount } = await import('../../accounts/remove-account.js')
      await withCliOnboarding(async ({ ob, changeNote }) => {
        const r = await removeAccount(ob, {
          accountId: id,
          by: cliActor(opts.by),
          reason: opts.reason,
        })
        const platform = r.platformNotified
          ? 'the platform was told (webhook unsubscribed or X tokens revoked)'
          : `the platform could not be told (${r.platformProblem ?? 'unknown reason'}): remove the app from the Page or X account by hand`
        process.stdout.write(
          `removed ${r.accountId}: ${platform}; ${r.tokensDeleted} stored token${r.tokensDeleted === 1 ? '' : 's'} deleted; its audit history is kept\n${changeNote()}\n`,
        )
      })
    })
}

const HEADER = ['id', 'platform', 'page or user id', 'managed in', 'token', 'health']

type Managed = { account: Account; managedIn: 'YAML' | 'web app/CLI' }

/** YAML first; a connected account duplicating one in YAML is shown as the YAML one, as the service does. */
function merge(yaml: Account[], connected: Account[]): Managed[] {
  const taken = new Set(yaml.flatMap((a) => [a.id, `${a.platform}.${platformIdOf(a)}`]))
  return [
    ...yaml.map((account) => ({ account, managedIn: 'YAML' as const })),
    ...connected
      .filter((a) => !taken.has(a.id) && !taken.has(`${a.platform}.${platformIdOf(a)}`))
      .map((account) => ({ account, managedIn: 'web app/CLI' as const })),
  ]
}

function row(
  account: Account,
  managedIn: Managed['managedIn'],
  tokens: TokenInfo[],
  envTokens: ReadonlyMap<string, string>,
): string[] {
  const mine = tokens.filter((t) => t.accountId === account.id)
  const main = mine.find((t) => t.kind === (account.platform === 'facebook' ? 'page' : 'access'))
  // @NOTE the same choice as the service: a stored token wins over the tokenEnv variable
  const source = main?.stored
    ? 'stored (encrypted)'
    : account.tokenEnv && envTokens.get(account.id)
      ? `env ${account.tokenEnv}`
      : 'none: connect it'
  const failing = mine.find((t) => t.status === 'failing')
  const shown = failing ?? main
  return [
    account.id,
    account.platform,
    platformIdOf(account),
    managedIn,
    source,
    shown ? health(shown) : 'not checked yet',
  ]
}

function health(t: TokenInfo): string {
  if (!t.status) return 'not checked yet'
  const expires = t.expiresAt ? `, expires ${t.expiresAt.toISOString().slice(0, 10)}` : ''
  const problem = t.problem && t.status !== 'ok' ? `: ${t.problem}` : ''
  return `${t.status}${expires}${problem}`
}
