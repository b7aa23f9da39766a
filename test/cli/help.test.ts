import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { commandPaths, EXAMPLES } from '../../src/cli/examples.js'
import { buildProgram } from '../../src/cli/program.js'

/** What `wardguard … --help` prints, at a given terminal width. */
function helpOf(cmd: Command, width = 80): string {
  let text = ''
  cmd.configureOutput({
    writeOut: (s) => {
      text += s
    },
    getOutHelpWidth: () => width,
  })
  cmd.outputHelp()
  return text
}

describe('wardguard --help', () => {
  const program = buildProgram()

  it('shows a worked example under every command', () => {
    const paths = commandPaths(program)
    expect(paths.length).toBeGreaterThan(15)
    for (const { path, command } of paths) {
      expect(EXAMPLES[path], `no example for "wardguard ${path}"`).toBeDefined()
      expect(helpOf(command)).toContain(`Example:\n  $ ${EXAMPLES[path]}`)
      // the example uses the command it is shown under
      expect(EXAMPLES[path]).toContain(`wardguard ${path}`)
    }
  })

  it('wraps the description as one paragraph: no line of two or three words in the middle', () => {
    const text = helpOf(program, 80)
    expect(text).toContain('Examples:\n  $ npx wardguard start')
    const description = text.split('\n\n')[1] ?? ''
    const lines = description.split('\n')
    for (const line of lines.slice(0, -1)) expect(line.length).toBeGreaterThan(60)
  })
})
