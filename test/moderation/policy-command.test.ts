import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { describePolicy, registerPolicyCommand } from '../../src/cli/commands/policy.js'
import { policy } from './helpers.js'

describe('policy command', () => {
  it('registers `policy check [file]`', () => {
    const program = new Command()
    registerPolicyCommand(program)
    const check = program.commands
      .find((c) => c.name() === 'policy')
      ?.commands.find((c) => c.name() === 'check')
    expect(check).toBeDefined()
  })

  it('prints the version, the category table and what happens to sample comments', () => {
    const text = describePolicy(policy, [
      'Cllr Patel is useless and should resign',
      'you utter tw@t',
    ])
    expect(text).toContain(`version: ${policy.version}`)
    expect(text).toMatch(/threat\s+hide\s+review\s+true\s+true/)
    expect(text).toContain('ALLOW  "Cllr Patel is useless and should resign"')
    expect(text).toContain('HIDE   "you utter tw@t"')
    expect(text).toContain('profanity.strong: "tw@t"')
  })
})
