import type { Command } from 'commander'
import {
  CATEGORIES,
  type Decision,
  loadPolicy,
  moderate,
  type Policy,
} from '../../moderation/index.js'
import { registerPolicyDiffCommand } from './policy-diff.js'
import { registerPolicyShadowCommand } from './policy-shadow.js'

// @NOTE written for this check, one per kind of rule: not taken from any corpus
const SAMPLES = [
  'Cllr Patel is useless and should resign. This council is a shambles.',
  'Bloody potholes on Mill Road again, lost a hubcap this morning.',
  'Great turnout at the Scunthorpe fun run, well done to the volunteers!',
  "You're a f*cking disgrace, Cllr Jones.",
  "I know where you live. I'm coming round with a baseball bat.",
  'Cllr Jones has been taking backhanders from the developers for years.',
  'My neighbour at 14 Elm Close is the one dumping rubbish, ring her on 07700 900111.',
  'Immigrants are vermin and should be sent back.',
  'Claim your council tax refund now: https://council-refund.example/claim',
]

/** `wardguard policy check FILE`: validates a policy and shows what it does to a few comments. */
export function registerPolicyCommand(program: Command): void {
  const policy = program.command('policy').description('work with the moderation policy')
  policy
    .command('check')
    .description(
      'validate a policy file and its word lists, and show what it does to sample comments',
    )
    .argument('[file]', 'policy file (default: config/policy.yaml)')
    .option('--text <comment...>', 'also show the decision for these comments')
    .action((file: string | undefined, opts: { text?: string[] }) => {
      const loaded = loadPolicy(file)
      process.stdout.write(describePolicy(loaded, [...SAMPLES, ...(opts.text ?? [])]))
    })
  // issue 17: see a change before it acts
  registerPolicyDiffCommand(policy)
  registerPolicyShadowCommand(policy)
}

export function describePolicy(policy: Policy, samples: string[]): string {
  const out: string[] = [`policy OK: ${policy.source}`, `version: ${policy.version}`, '']
  out.push(
    `${'category'.padEnd(15)}${'sure'.padEnd(8)}${'unsure'.padEnd(8)}${'escalate'.padEnd(10)}strike`,
  )
  for (const c of CATEGORIES) {
    const s = policy.settings.categories[c]
    out.push(
      `${c.padEnd(15)}${s.action.padEnd(8)}${s.borderline.padEnd(8)}${String(s.escalate).padEnd(10)}${s.strike}`,
    )
  }
  const f = policy.file
  out.push(
    '',
    `mild swearing: ${f.mildProfanity}; medium swearing not aimed at anyone: ${f.mediumProfanity}; spam threshold: ${f.spamThreshold}`,
    `repeat offenders: hide pending review from ${f.repeatOffenders.hideThreshold} strikes, suggest a ban from ${f.repeatOffenders.suggestBanThreshold} (window ${f.repeatOffenders.windowDays} days)`,
    `pile-on alert: ${f.pileOn.threshold} flagged comments on one post within ${f.pileOn.windowMinutes} minutes`,
    `staffed hours: ${f.staffedHours.enabled ? `${f.staffedHours.days.join(',')} ${f.staffedHours.from}-${f.staffedHours.to} (${f.staffedHours.timezone})` : 'off'}`,
    `pre-election period: ${f.preElection.from && f.preElection.to ? `${f.preElection.from} to ${f.preElection.to}` : 'not set'}`,
    `external classifier: ${f.external.enabled ? `on (${f.external.url}, ${f.external.timeoutMs} ms)` : 'off'}`,
    `account allow list: ${f.allow.length} entries; block list: ${f.block.length} entries`,
    '',
    'Sample comments:',
  )
  for (const text of samples) {
    const d = moderate({ text, platform: 'facebook' }, policy)
    out.push(`  ${d.action.toUpperCase().padEnd(7)}${JSON.stringify(text)}`)
    for (const line of explain(d)) out.push(`         ${line}`)
  }
  return `${out.join('\n')}\n`
}

function explain(d: Decision): string[] {
  return d.reasons.map((r) => `${r.category}: ${r.explanation} (${r.rule}: "${r.match}")`)
}
