import type { Command } from 'commander'
import { loadServiceConfig } from '../load-service-config.js'

/** `wardguard audit verify` and `wardguard audit purge`. */
export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('check and maintain the audit trail')
  audit
    .command('verify')
    .description('check the whole hash chain; names the first broken link (exit 1 when broken)')
    .action(async () => {
      const config = await loadServiceConfig()
      const { withAuditStore } = await import('../../web/open-store.js')
      const { verifyAuditTrail } = await import('../../web/verify.js')
      const { ok, report } = await withAuditStore(config.env, (db) => verifyAuditTrail(db))
      ;(ok ? process.stdout : process.stderr).write(report)
      if (!ok) process.exitCode = 1
    })
  audit
    .command('purge')
    .description('purge comment text now under RETENTION_ALLOWED_DAYS / RETENTION_REMOVED_DAYS')
    .action(async () => {
      const config = await loadServiceConfig()
      const { withAuditStore } = await import('../../web/open-store.js')
      const { RetentionScheduler } = await import('../../web/retention.js')
      const run = await withAuditStore(config.env, (db) =>
        new RetentionScheduler({
          db,
          rules: {
            allowedDays: config.env.RETENTION_ALLOWED_DAYS,
            removedDays: config.env.RETENTION_REMOVED_DAYS,
          },
        }).runNow(),
      )
      if (!run) throw new Error('retention purge failed (see the log)')
      process.stdout.write(
        `purged the text of ${run.purged} comments (${run.allowed} allowed, ${run.removed} removed)\n`,
      )
    })
}
