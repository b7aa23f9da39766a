import type { Command } from 'commander'

/**
 * One worked example per command, shown under its `--help` (and the top-level help lists them
 * all). Keyed by the command's path; a new command adds its line here, and
 * test/cli/help.test.ts fails until every command has one.
 */
export const EXAMPLES: Record<string, string> = {
  start: 'npx wardguard start --port 8080',
  demo: 'npx wardguard demo --keep',
  classify: `echo '{"id":"1","platform":"facebook","text":"Resign, you coward"}' | npx wardguard classify`,
  'policy check': 'npx wardguard policy check config/policy.yaml --text "you absolute muppet"',
  'policy diff': 'npx wardguard policy diff --policy candidate.yaml --since 30d',
  'policy shadow start':
    'npx wardguard policy shadow start --account cllr-patel --policy candidate.yaml --days 14',
  'policy shadow list': 'npx wardguard policy shadow list',
  'policy shadow stop': 'npx wardguard policy shadow stop 3',
  'config check': 'npx wardguard config check',
  'users add': 'npx wardguard users add comms --role admin --password-stdin',
  'users list': 'npx wardguard users list',
  'users remove': 'npx wardguard users remove comms',
  'audit verify': 'npx wardguard audit verify --checkpoint checkpoints/2026-12-05.json',
  'audit checkpoint': 'npx wardguard audit checkpoint --out checkpoints/$(date +%F).json',
  'audit purge': 'npx wardguard audit purge',
  evidence: 'npx wardguard evidence --comment facebook.123_456 --out evidence/',
  'slack check': 'npx wardguard slack check',
  'slack manifest': 'npx wardguard slack manifest --url https://wardguard.example.gov.uk',
  'tokens rotate': 'npx wardguard tokens rotate',
  'tokens list': 'npx wardguard tokens list',
  'connect facebook': 'npx wardguard connect facebook --user-token - --page 100000000000001',
  'connect x': 'npx wardguard connect x --id cllr-jones-x --channel C0JONES --moderators U0ANN',
  'accounts list': 'npx wardguard accounts list',
  'accounts remove':
    'npx wardguard accounts remove cllr-patel --reason "stood down at the election"',
  train: 'npx wardguard train --with-decisions --since 180d',
}

/** Every runnable command under `root`, as "group sub" paths. */
export function commandPaths(root: Command): { path: string; command: Command }[] {
  const out: { path: string; command: Command }[] = []
  const walk = (cmd: Command, prefix: string) => {
    for (const sub of cmd.commands) {
      const path = `${prefix} ${sub.name()}`.trim()
      if (sub.commands.length > 0) walk(sub, path)
      else out.push({ path, command: sub })
    }
  }
  walk(root, '')
  return out
}

/** Adds "Example:" under each command's help, and the whole list under the top-level help. */
export function addExamples(program: Command): void {
  const lines: string[] = []
  for (const { path, command } of commandPaths(program)) {
    const example = EXAMPLES[path]
    if (!example) continue
    command.addHelpText('after', `\nExample:\n  $ ${example}\n`)
    lines.push(`  $ ${example}`)
  }
  program.addHelpText('after', `\nExamples:\n${lines.join('\n')}\n`)
}
