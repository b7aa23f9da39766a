import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { nextSteps } from '../../src/cli/next-steps.js'
import { tempDir } from '../helpers/tmp.js'

const BIN = path.resolve('bin/wardguard.js')

describe('what a newcomer sees after `wardguard start`', () => {
  const tmp = tempDir('wardguard-first-run-')
  afterAll(() => tmp.cleanup())

  it('on a terminal: readable log lines, not JSON, and the next steps for an empty install', async () => {
    // @NOTE util-linux `script` gives the command a real pseudo-terminal, as a person's shell would
    const child = spawn(
      'script',
      ['-qfec', `${process.execPath} ${BIN} start --port 0`, '/dev/null'],
      {
        cwd: tmp.dir,
        env: { PATH: process.env.PATH ?? '', HOME: tmp.dir, TERM: 'dumb', LOG_LEVEL: 'info' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    )
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    const exited = new Promise((r) => child.on('exit', r))
    const deadline = Date.now() + 120_000
    while (!/Health: /.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(output)
      await new Promise((r) => setTimeout(r, 200))
    }
    // Ctrl-C, typed into the terminal
    child.stdin.write('\x03')
    await exited
    const text = output.replace(/\x1b\[[0-9;]*m/g, '')
    expect(text).not.toContain('{"level"')
    expect(text).toMatch(/\[\d\d:\d\d:\d\d\] INFO: service: wardguard started/)
    const url = text.match(/running at (http:\/\/127\.0\.0\.1:\d+)/)?.[1]
    expect(url).toBeDefined()
    expect(text).toContain('No users can sign in yet')
    expect(text).toContain('npx wardguard users add comms --role admin --password-stdin')
    expect(text).toContain('No accounts are configured')
    expect(text).toContain('npx wardguard demo')
    expect(text).toContain(`${url}/readyz`)
    expect(text).toMatch(/INFO: service: wardguard stopped/)
  }, 180_000)

  it('a configured install gets one line to sign in, and no tutorial', () => {
    const text = nextSteps({
      url: 'http://127.0.0.1:3000',
      users: 2,
      accounts: 3,
      sharedStore: false,
      configPath: 'config/wardguard.yaml',
    })
    expect(text).toContain('Sign in to the audit web app: http://127.0.0.1:3000/signin')
    expect(text).not.toContain('No users')
    expect(text).not.toContain('No accounts')
  })

  it('with Postgres, the first user can be added beside the running service', () => {
    const text = nextSteps({
      url: 'http://h:1',
      users: 0,
      accounts: 0,
      sharedStore: true,
      configPath: null,
    })
    expect(text).toContain('in another terminal run')
    expect(text).not.toContain('stop it')
  })
})
