import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { mrkdwnToText } from '../../src/demo/mrkdwn.js'
import { signIn } from '../helpers/sign-in.js'
import { tempDir } from '../helpers/tmp.js'

const BIN = path.resolve('bin/wardguard.js')

describe('wardguard demo', () => {
  const tmp = tempDir('wardguard-demo-test-')
  let keptDir = ''
  afterAll(() => {
    if (keptDir) rmSync(keptDir, { recursive: true, force: true })
    tmp.cleanup()
  })

  it('--keep: no X token error, Slack messages readable, then a working sign-in until Ctrl-C, data kept', async () => {
    const child = spawn(process.execPath, [BIN, 'demo', '--keep'], {
      cwd: tmp.dir,
      env: { PATH: process.env.PATH ?? '', HOME: tmp.dir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    const deadline = Date.now() + 150_000
    let login: RegExpMatchArray | null = null
    while (!login) {
      login = output.match(/(http:\/\/127\.0\.0\.1:\d+)\/signin {2}user: (\w+) {2}password: (\S+)/)
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(output)
      await new Promise((r) => setTimeout(r, 200))
    }
    const [, url, user, password] = login as unknown as [string, string, string, string]
    expect(await signIn(url, user, password)).toBe(true)
    expect(await signIn(url, user, 'not-the-password')).toBe(false)

    child.kill('SIGINT')
    expect(await exited).toBe(0)
    // the race that made every run log "X API refused read of mentions (HTTP 401)"
    expect(output).not.toMatch(/HTTP 401|refused read/)
    expect(output).toContain('wardguard hide (profanity, harassment); HIDDEN on the platform')
    // the Slack review message as a moderator reads it, not its markup
    expect(output).toMatch(/Paul Haines \(https:\/\/www\.facebook\.com\/\d+\)/)
    expect(output).not.toMatch(/\*Comment\*|<https?:|<!date/)
    expect(output).toMatch(/Received \d{1,2} \w{3} \d{4} \d\d:\d\d UTC/)
    keptDir = output.match(/The demo's data is kept in (\S+)/)?.[1] ?? ''
    expect(keptDir).not.toBe('')
    expect(existsSync(path.join(keptDir, 'pglite'))).toBe(true)
  }, 200_000)

  it('turns Slack mrkdwn into what Slack would show', () => {
    expect(mrkdwnToText('*Author*\n<https://www.facebook.com/9006|Paul Haines>')).toBe(
      'Author\nPaul Haines (https://www.facebook.com/9006)',
    )
    expect(mrkdwnToText('*Comment*', { ansi: true })).toBe('\x1b[1mComment\x1b[22m')
    expect(mrkdwnToText('Received <!date^1796472000^{date_short_pretty} at {time}|5 Dec>')).toBe(
      'Received 5 Dec 2026 12:00 UTC',
    )
    expect(mrkdwnToText('by <@U0DEMOADMIN> in <#C0REVIEW|review>')).toBe(
      'by @U0DEMOADMIN in #review',
    )
    // Slack's escapes are undone last: a resident's "&lt;b&gt;" is shown as typed, never as markup
    expect(mrkdwnToText('a &lt;https://x.example|y&gt; &amp; 2*3*4')).toBe(
      'a <https://x.example|y> & 2*3*4',
    )
    expect(mrkdwnToText('snake_case_name stays')).toBe('snake_case_name stays')
  })
})
