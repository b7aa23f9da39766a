import { chmodSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { listConnectedAccounts } from '../../accounts/index.js'
import { accountEngines, storedComments } from '../../audit/index.js'
import type { Account } from '../../config/accounts.js'
import { ConfigError } from '../../errors.js'
import { loadPolicy, type Policy, withOverrides } from '../../moderation/index.js'
import {
  type DiffReport,
  diffPolicies,
  type Engines,
  type Tally,
} from '../../moderation/policy-diff.js'
import { CATEGORIES } from '../../moderation/types.js'
import { csvLine } from '../../web/csv.js'
import { loadServiceConfig } from '../load-service-config.js'
import { parseSince } from './since.js'

/** Each account's policy: the base with its `policy:` overrides, compiled once. */
export function perAccount(base: Policy, accounts: Account[]): (accountId: string) => Policy {
  const compiled = new Map<string, Policy>()
  const byId = new Map(accounts.map((a) => [a.id, a]))
  return (accountId) => {
    const known = compiled.get(accountId)
    if (known) return known
    const account = byId.get(accountId)
    const policy = account?.policy
      ? withOverrides(base, account.policy, `accounts.${accountId}.policy`)
      : base
    compiled.set(accountId, policy)
    return policy
  }
}

/** `wardguard policy diff`: what a new policy or model would change on stored comments. */
export function registerPolicyDiffCommand(policy: Command): void {
  policy
    .command('diff')
    .description(
      'replay stored comments through the current engine and a candidate policy and/or model, and report what would change',
    )
    .option('--policy <file>', 'the candidate policy (default: the current one)')
    .option('--model <file>', "the candidate model (default: the candidate policy's own)")
    .option('--since <age>', 'comments received within this long, e.g. 30d', '30d')
    .option('--account <id>', 'only this account')
    .option('--csv <file>', 'where to write the changed items (mode 0600)', 'policy-diff.csv')
    .action(
      async (opts: {
        policy?: string
        model?: string
        since: string
        account?: string
        csv: string
      }) => {
        if (!opts.policy && !opts.model) {
          throw new ConfigError(
            'policy diff: name a candidate with --policy FILE and/or --model FILE',
          )
        }
        const config = await loadServiceConfig()
        const { env } = config
        const current = loadPolicy(env.WARDGUARD_POLICY, { modelPath: env.WARDGUARD_MODEL })
        const candidate = loadPolicy(opts.policy ?? env.WARDGUARD_POLICY, {
          modelPath: opts.model ?? (opts.policy ? undefined : env.WARDGUARD_MODEL),
        })
        const since = parseSince(opts.since)
        const { withAuditStore } = await import('../../web/open-store.js')
        const report = await withAuditStore(env, async (db) => {
          const accounts = [...config.file.accounts, ...(await listConnectedAccounts(db))]
          // @NOTE an account switched to a shadow run's candidate runs that, not the configured one
          const switched = new Map(
            (await accountEngines(db)).map((e) => [
              e.accountId,
              perAccount(
                loadPolicy(e.policyPath, { modelPath: e.modelPath ?? undefined }),
                accounts,
              ),
            ]),
          )
          const configured = perAccount(current, accounts)
          const engines: Engines = {
            current: (id) => (switched.get(id) ?? configured)(id),
            candidate: perAccount(candidate, accounts),
          }
          return diffPolicies(
            storedComments(db, { since: since.toISOString(), accountId: opts.account }),
            engines,
          )
        })
        const csv = path.resolve(opts.csv)
        writeDiffCsv(csv, report)
        process.stdout.write(
          formatDiff(report, {
            current: current.version,
            candidate: candidate.version,
            since: since.toISOString(),
            csv,
          }),
        )
      },
    )
}

/** The changed items for people to read. @NOTE holds comment text: owner-only, like evidence. */
export function writeDiffCsv(file: string, report: DiffReport): void {
  const lines = [
    csvLine([
      'subject_key',
      'account',
      'received',
      'now',
      'candidate',
      'now_categories',
      'candidate_categories',
      'criticism_newly_flagged',
      'candidate_reasons',
      'text',
    ]),
    ...report.changedItems.map((i) =>
      csvLine([
        i.subjectKey,
        i.accountId,
        i.at,
        i.before,
        i.after,
        i.beforeCategories.join(' '),
        i.afterCategories.join(' '),
        i.criticism ? 'yes' : 'no',
        i.why,
        i.text,
      ]),
    ),
  ]
  writeFileSync(file, lines.join(''), { mode: 0o600 })
  // @NOTE mode applies only when the file is created: an older report keeps its mode otherwise
  chmodSync(file, 0o600)
}

function tallyHeader(first: string): string {
  return `${first.padEnd(20)}${'compared'.padEnd(10)}${'changed'.padEnd(9)}${'hides +/-'.padEnd(11)}${'reviews +/-'.padEnd(13)}criticism`
}

function tallyLine(name: string, t: Tally): string {
  return `${name.padEnd(20)}${String(t.compared).padEnd(10)}${String(t.changed).padEnd(9)}${`+${t.hidesGained}/-${t.hidesLost}`.padEnd(11)}${`+${t.reviewsGained}/-${t.reviewsLost}`.padEnd(13)}${t.criticismNewlyFlagged}`
}

export function formatDiff(
  r: DiffReport,
  meta: { current: string; candidate: string; since: string; csv: string },
): string {
  const out = [
    `policy diff: current ${meta.current} against candidate ${meta.candidate}`,
    `${r.compared} stored comments since ${meta.since.slice(0, 10)} replayed; ${r.changed} would be decided differently`,
    '',
    `hides gained: ${r.hidesGained}   hides lost: ${r.hidesLost}`,
    `reviews gained: ${r.reviewsGained}   reviews lost: ${r.reviewsLost}`,
    `criticism newly flagged: ${r.criticismNewlyFlagged}${r.criticismNewlyFlagged > 0 ? '  <- read these before switching: the policy promises criticism stays up' : ''}`,
    '',
    tallyHeader('category'),
    ...CATEGORIES.flatMap((c) => {
      const t = r.byCategory[c]
      return t ? [tallyLine(c, t)] : []
    }),
    '',
    tallyHeader('account'),
    ...Object.entries(r.byAccount).map(([id, t]) => tallyLine(id, t)),
  ]
  out.push(
    '',
    `changed items: ${meta.csv} (comment text: personal data, readable by you alone; delete it when done)`,
    '',
  )
  return out.join('\n')
}
