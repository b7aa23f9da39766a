import { readFileSync, writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import { ConfigError } from '../../errors.js'
import { loadServiceConfig } from '../load-service-config.js'

/** `wardguard audit verify`, `wardguard audit checkpoint` and `wardguard audit purge`. */
export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('check and maintain the audit trail')
  audit
    .command('verify')
    .description('check the whole hash chain; names the first broken link (exit 1 when broken)')
    .option(
      '--checkpoint <file>',
      'also check the trail still reaches the head signed in this checkpoint (truncation, rewind)',
    )
    .action(async (opts: { checkpoint?: string }) => {
      const config = await loadServiceConfig()
      const key = opts.checkpoint ? checkpointKey(config.env.AUDIT_CHECKPOINT_KEY) : ''
      const { withAuditStore } = await import('../../web/open-store.js')
      const { verifyAuditTrail } = await import('../../web/verify.js')
      const { verifyCheckpoint } = await import('../../audit/checkpoint.js')
      const checkpoint = opts.checkpoint ? JSON.parse(readFileSync(opts.checkpoint, 'utf8')) : null
      const { ok, report } = await withAuditStore(config.env, async (db) => {
        const chain = await verifyAuditTrail(db)
        if (!checkpoint || !chain.ok) return chain
        const anchored = await verifyCheckpoint(db, checkpoint, key)
        return anchored.ok
          ? {
              ok: true,
              report: `${chain.report}checkpoint OK: the trail still reaches event ${checkpoint.lastEventId} with its signed hash\n`,
            }
          : { ok: false, report: `checkpoint FAILED: ${anchored.problem}\n` }
      })
      ;(ok ? process.stdout : process.stderr).write(report)
      if (!ok) process.exitCode = 1
    })
  audit
    .command('checkpoint')
    .description(
      'sign the current chain head with AUDIT_CHECKPOINT_KEY and write it to a file (keep it away from the database; run daily)',
    )
    .option('--out <file>', 'where to write it (default: print it)')
    .action(async (opts: { out?: string }) => {
      const config = await loadServiceConfig()
      const key = checkpointKey(config.env.AUDIT_CHECKPOINT_KEY)
      const { withAuditStore } = await import('../../web/open-store.js')
      const { makeCheckpoint } = await import('../../audit/checkpoint.js')
      const checkpoint = await withAuditStore(config.env, (db) => makeCheckpoint(db, key))
      const text = `${JSON.stringify(checkpoint, null, 2)}\n`
      if (opts.out) {
        writeFileSync(opts.out, text, { flag: 'wx' })
        process.stdout.write(
          `checkpoint of event ${checkpoint.lastEventId} written to ${opts.out}\n`,
        )
      } else process.stdout.write(text)
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
        `purged the text of ${run.purged} comments (${run.allowed} allowed, ${run.removed} removed)\n` +
          (run.purged > 0
            ? 'Their Slack review messages are redacted by the service at its next retention run (when it starts, then daily).\n'
            : ''),
      )
    })
}

function checkpointKey(key: string | undefined): string {
  if (!key) {
    throw new ConfigError(
      'AUDIT_CHECKPOINT_KEY: not set. Checkpoints are signed with it: set a long random value (`openssl rand -base64 32`) and keep a copy away from the database',
    )
  }
  return key
}
