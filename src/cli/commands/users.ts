import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { loadServiceConfig } from '../load-service-config.js'

/** `wardguard users add|list|remove`: who may sign in to the audit web app. */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('manage the audit web app users')
  users
    .command('add')
    .description('add a user, or replace the role, accounts and password of an existing one')
    .argument('<username>', 'lower-case name used to sign in')
    .requiredOption('--role <role>', 'admin, auditor or councillor')
    .option('--account <id...>', 'a councillor sees only these account ids')
    .option('--name <name>', 'shown with their decisions, e.g. "Priya Patel"')
    .option(
      '--slack-user <id>',
      'their moderator id (Slack user id, U…): they may decide on the accounts that list it',
    )
    .option(
      '--password-stdin',
      'read the password from standard input (default: WARDGUARD_NEW_PASSWORD)',
    )
    .action(
      async (
        username: string,
        opts: {
          role: string
          account?: string[]
          passwordStdin?: boolean
          name?: string
          slackUser?: string
        },
      ) => {
        // @NOTE never a command-line argument: those end up in shell history and `ps`
        const password = opts.passwordStdin
          ? readFileSync(0, 'utf8').replace(/\r?\n$/, '')
          : (process.env.WARDGUARD_NEW_PASSWORD ?? '')
        if (!password)
          throw new Error(
            'give the password on stdin (--password-stdin) or in WARDGUARD_NEW_PASSWORD',
          )
        const config = await loadServiceConfig()
        const known = new Set(config.file.accounts.map((a) => a.id))
        const unknown = (opts.account ?? []).filter((id) => !known.has(id))
        if (unknown.length > 0 && known.size > 0)
          throw new Error(`no such account: ${unknown.join(', ')}`)
        const { addUser, withAuditStore } = await loadWeb()
        const user = await withAuditStore(config.env, (db) =>
          addUser(db, {
            username,
            role: opts.role as 'admin',
            accountIds: opts.account ?? [],
            password,
            displayName: opts.name,
            slackUserId: opts.slackUser,
          }),
        )
        process.stdout.write(
          `user ${user.username} (${user.role}${user.accountIds.length ? `: ${user.accountIds.join(', ')}` : ''}) saved\n`,
        )
      },
    )
  users
    .command('list')
    .description('list the users and their roles')
    .action(async () => {
      const config = await loadServiceConfig()
      const { listUsers, withAuditStore } = await loadWeb()
      const list = await withAuditStore(config.env, (db) => listUsers(db))
      if (list.length === 0)
        process.stdout.write('no users yet: wardguard users add <name> --role admin\n')
      for (const u of list) {
        process.stdout.write(
          `${u.username.padEnd(24)}${u.role.padEnd(12)}${u.accountIds.join(', ')}\n`,
        )
      }
    })
  users
    .command('remove')
    .description('remove a user, their sessions and their API tokens')
    .argument('<username>')
    .action(async (username: string) => {
      const config = await loadServiceConfig()
      const { removeUser, withAuditStore } = await loadWeb()
      const removed = await withAuditStore(config.env, (db) => removeUser(db, username))
      if (!removed) throw new Error(`no user ${username}`)
      process.stdout.write(`user ${username} removed\n`)
    })
}

// @NOTE loaded on use so that other commands never load PGlite
async function loadWeb() {
  const [web, store] = await Promise.all([
    import('../../web/users.js'),
    import('../../web/open-store.js'),
  ])
  return { ...web, ...store }
}
