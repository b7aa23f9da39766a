import path from 'node:path'
import type { Command } from 'commander'
import { listConnectedAccounts } from '../../accounts/index.js'
import { listShadowRuns, startShadowRun, stopShadowRun } from '../../audit/index.js'
import { ConfigError } from '../../errors.js'
import { loadPolicy } from '../../moderation/index.js'
import { DEFAULT_POLICY_PATH } from '../../moderation/policy.js'
import { loadServiceConfig } from '../load-service-config.js'
import { perAccount } from './policy-diff.js'

/**
 * `wardguard policy shadow start|list|stop`: a candidate decides every new comment of one
 * account beside the active engine for N days; only the active one acts. The daily differences
 * and the switch are in the audit app (/audit/shadow).
 */
export function registerPolicyShadowCommand(policy: Command): void {
  const shadow = policy
    .command('shadow')
    .description('run a candidate policy or model beside an account’s engine, without acting')
  shadow
    .command('start')
    .requiredOption('--account <id>', 'the account to shadow')
    .option('--policy <file>', 'the candidate policy (default: the current one)')
    .option('--model <file>', "the candidate model (default: the candidate policy's own)")
    .option('--days <n>', 'how long to compare, 1 to 90 days', '14')
    .option('--by <name>', 'who starts it, for the audit trail', process.env.USER ?? 'cli')
    .action(
      async (opts: {
        account: string
        policy?: string
        model?: string
        days: string
        by: string
      }) => {
        if (!opts.policy && !opts.model) {
          throw new ConfigError(
            'policy shadow: name a candidate with --policy FILE and/or --model FILE',
          )
        }
        const days = Number(opts.days)
        if (!Number.isInteger(days) || days < 1 || days > 90) {
          throw new ConfigError('--days: a whole number of days from 1 to 90')
        }
        const config = await loadServiceConfig()
        const { env } = config
        const policyPath = path.resolve(opts.policy ?? env.WARDGUARD_POLICY ?? DEFAULT_POLICY_PATH)
        const modelPath = opts.model
          ? path.resolve(opts.model)
          : opts.policy || !env.WARDGUARD_MODEL
            ? null
            : path.resolve(env.WARDGUARD_MODEL)
        // @NOTE compiled now, so a broken candidate is refused here and not in the workers
        const candidate = loadPolicy(policyPath, { modelPath: modelPath ?? undefined })
        const current = loadPolicy(env.WARDGUARD_POLICY, { modelPath: env.WARDGUARD_MODEL })
        const { withAuditStore } = await import('../../web/open-store.js')
        const run = await withAuditStore(env, async (db) => {
          const accounts = [...config.file.accounts, ...(await listConnectedAccounts(db))]
          if (!accounts.some((a) => a.id === opts.account)) {
            throw new ConfigError(`--account: no account "${opts.account}"`)
          }
          const candidateVersion = perAccount(candidate, accounts)(opts.account).version
          const activeVersion = perAccount(current, accounts)(opts.account).version
          if (candidateVersion === activeVersion) {
            throw new ConfigError(
              `the candidate is the engine ${opts.account} runs already (${activeVersion}): nothing to compare`,
            )
          }
          return startShadowRun(db, {
            accountId: opts.account,
            policyPath,
            modelPath,
            candidateVersion,
            activeVersion,
            startedBy: `cli/${opts.by}`,
            days,
          })
        })
        process.stdout.write(
          `shadow run ${run.id}: ${run.accountId} decides every new comment with ${run.candidateVersion} as well, until ${run.endsAt.slice(0, 10)}; only ${run.activeVersion} acts.\n` +
            'The running service picks it up within a minute. Daily differences and the switch: /audit/shadow\n',
        )
      },
    )
  shadow
    .command('list')
    .description('the shadow runs, newest first')
    .action(async () => {
      const config = await loadServiceConfig()
      const { withAuditStore } = await import('../../web/open-store.js')
      const runs = await withAuditStore(config.env, (db) => listShadowRuns(db))
      for (const r of runs) {
        const state =
          r.state === 'running' && Date.parse(r.endsAt) <= Date.now() ? 'ended' : r.state
        process.stdout.write(
          `${r.id}\t${r.accountId}\t${state}\t${r.candidateVersion} beside ${r.activeVersion}\t${r.startedAt.slice(0, 10)} to ${r.endsAt.slice(0, 10)}\t${r.policyPath}${r.modelPath ? ` + ${r.modelPath}` : ''}\n`,
        )
      }
      if (runs.length === 0) process.stdout.write('no shadow runs\n')
    })
  shadow
    .command('stop')
    .argument('<run>', 'the run id (wardguard policy shadow list)')
    .option('--by <name>', 'who stops it, for the audit trail', process.env.USER ?? 'cli')
    .action(async (runId: string, opts: { by: string }) => {
      const config = await loadServiceConfig()
      const { withAuditStore } = await import('../../web/open-store.js')
      const run = await withAuditStore(config.env, (db) =>
        stopShadowRun(db, runId, `cli/${opts.by}`),
      )
      if (!run) throw new ConfigError(`no running shadow run ${runId}`)
      process.stdout.write(
        `shadow run ${run.id} stopped; ${run.accountId} keeps ${run.activeVersion}\n`,
      )
    })
}
