import type { Command } from 'commander'
import { platformIdOf } from '../../config/accounts.js'
import { loadServiceConfig } from '../load-service-config.js'

export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('inspect the configuration')
  config
    .command('check')
    .description('validate the environment and config/wardguard.yaml, and list the accounts')
    .action(async () => {
      const cfg = await loadServiceConfig()
      const out = process.stdout
      out.write(`configuration OK (${cfg.configPath ?? 'no config file: built-in defaults'})\n`)
      out.write(`redis: ${cfg.env.REDIS_URL ? 'REDIS_URL' : 'private redis-server'}; `)
      out.write(
        `audit store: ${cfg.env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'embedded PGlite'}\n`,
      )
      for (const a of cfg.file.accounts) {
        out.write(
          `- ${a.id}: ${a.platform} ${platformIdOf(a)} "${a.name}", review in ${a.review.channel} by ${a.review.moderators.length} moderator(s)\n`,
        )
      }
      if (cfg.file.accounts.length === 0) out.write('no accounts configured yet\n')
    })
}
