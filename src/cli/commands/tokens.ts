import type { Command } from 'commander'
import type { TokenInfo } from '../../accounts/index.js'
import { type Env, parseEnv } from '../../config/env.js'
import { ConfigError } from '../../errors.js'

/** `wardguard tokens rotate|list`: the encrypted account token store. Never prints a token. */
export function registerTokensCommand(program: Command): void {
  const tokens = program.command('tokens').description('the encrypted store of account tokens')
  tokens
    .command('rotate')
    .description(
      're-encrypt every stored token under TOKEN_ENCRYPTION_KEY (old keys in TOKEN_ENCRYPTION_PREVIOUS_KEYS)',
    )
    .action(async () => {
      const env = readEnv()
      const { accounts, withAuditStore } = await loadStore()
      const keyring = accounts.keyringFromEnv(env)
      if (!keyring) {
        throw new ConfigError(
          'TOKEN_ENCRYPTION_KEY: not set; rotation re-encrypts the stored tokens under it',
        )
      }
      const { reencrypted, total } = await withAuditStore(env, (db) =>
        accounts.rotateTokens(db, keyring),
      )
      process.stdout.write(
        `re-encrypted ${reencrypted} of ${total} stored token${total === 1 ? '' : 's'} under key ${keyring.current.id}\n`,
      )
      if (keyring.previous.length > 0) {
        process.stdout.write(
          'every token now opens with TOKEN_ENCRYPTION_KEY alone: TOKEN_ENCRYPTION_PREVIOUS_KEYS can be emptied\n',
        )
      }
    })
  tokens
    .command('list')
    .description(
      'list the stored tokens: account, kind, key id, expiry and health (never the token)',
    )
    .action(async () => {
      const env = readEnv()
      const { accounts, withAuditStore } = await loadStore()
      const list = await withAuditStore(env, (db) => accounts.listTokenInfo(db))
      if (list.length === 0) {
        process.stdout.write('no stored tokens: connect an account from the web app or the CLI\n')
        return
      }
      // @NOTE the key ring is optional here: listing needs no key, it only labels the key ids
      const keyring = accounts.keyringFromEnv(env)
      process.stdout.write(
        `${'account'.padEnd(24)}${'kind'.padEnd(9)}${'key id'.padEnd(28)}${'expires'.padEnd(12)}status\n`,
      )
      for (const t of list) process.stdout.write(`${formatRow(t, keyring)}\n`)
    })
}

type KeyringLike = { current: { id: string }; previous: { id: string }[] } | null

function formatRow(t: TokenInfo, keyring: KeyringLike): string {
  const key = !t.keyId ? '(environment variable)' : `${t.keyId}${keyLabel(t.keyId, keyring)}`
  const expires = t.expiresAt ? t.expiresAt.toISOString().slice(0, 10) : 'never'
  const status = t.status ?? 'not checked yet'
  const problem = t.problem ? ` (${t.problem})` : ''
  return `${t.accountId.padEnd(24)}${t.kind.padEnd(9)}${key.padEnd(28)}${expires.padEnd(12)}${status}${problem}`
}

function keyLabel(id: string, keyring: KeyringLike): string {
  if (!keyring) return ''
  if (keyring.current.id === id) return ' current'
  return keyring.previous.some((k) => k.id === id) ? ' previous' : ' UNKNOWN'
}

// @NOTE the environment only: these commands need neither the YAML nor its tokens' variables
function readEnv(): Env {
  const parsed = parseEnv(process.env)
  if (!parsed.ok) throw new ConfigError(parsed.problems)
  return parsed.env
}

// @NOTE loaded on use so that other commands never load PGlite
async function loadStore() {
  const [accounts, store] = await Promise.all([
    import('../../accounts/index.js'),
    import('../../web/open-store.js'),
  ])
  return { accounts, withAuditStore: store.withAuditStore }
}
