/**
 * npm run eval                                  the whole evaluation suite (training/evaluate.ts)
 * npm run eval -- FILE.jsonl [--policy FILE] [--show]
 * Scores the moderation engine on a labelled JSONL corpus. --show also prints the text of each
 * disagreement (to read a held-out set's errors: never to tune on it).
 */
import { readFileSync } from 'node:fs'
import { evaluate, formatReport, meetsTargets, parseLabelled } from '../src/moderation/evaluate.js'
import { loadPolicy } from '../src/moderation/index.js'
import { runSuite } from '../training/evaluate.js'

const args = process.argv.slice(2)
const policyAt = args.indexOf('--policy')
const policyPath = policyAt >= 0 ? args[policyAt + 1] : undefined
const show = args.includes('--show')
const file = args.find((a, i) => !a.startsWith('--') && (policyAt < 0 || i !== policyAt + 1))
if (!file) {
  process.stdout.write(`${runSuite(loadPolicy(policyPath))}\n`)
  process.exit(0)
}
const { lines, errors } = parseLabelled(readFileSync(file, 'utf8'))
for (const e of errors) process.stderr.write(`skipped ${e}\n`)
const policy = loadPolicy(policyPath)
const report = evaluate(lines, policy)
process.stdout.write(`${file} (policy ${policy.version})\n${formatReport(report)}\n`)
if (show) {
  const byId = new Map(lines.map((l) => [l.id, l]))
  for (const l of report.lines.filter((x) => x.got !== x.expected)) {
    process.stdout.write(
      `\n${l.id} ${l.expected}->${l.got} ${JSON.stringify(byId.get(l.id)?.text)}\n`,
    )
  }
}
process.exitCode = meetsTargets(report) ? 0 : 1
