import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { lockFileFor, lockStore, StoreLockedError } from '../../src/audit/store-lock.js'
import { runCli } from '../helpers/process.js'
import { tempDir } from '../helpers/tmp.js'

const BIN = path.resolve('bin/wardguard.js')

/** `wardguard start` as a user runs it, until it says where it listens. */
async function startService(cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (d) => {
    output += d
  })
  child.stderr?.on('data', (d) => {
    output += d
  })
  const deadline = Date.now() + 90_000
  for (;;) {
    const m = output.match(/running at (http:\/\/\S+)/)
    if (m) return { child, url: m[1] as string }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(output)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Signs in as a browser would; true when the app lets the user in. */
async function signIn(url: string, username: string, password: string): Promise<boolean> {
  const form = await fetch(`${url}/signin`)
  const cookie = form.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const csrf = (await form.text()).match(/name="_csrf" value="([^"]*)"/)?.[1] ?? ''
  const res = await fetch(`${url}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: url },
    body: new URLSearchParams({ username, password, _csrf: csrf, next: '/audit/decisions' }),
  })
  return (res.headers.get('location') ?? '').endsWith('/audit/decisions')
}

describe('the embedded store belongs to one process', () => {
  const tmp = tempDir('wardguard-lock-')
  afterAll(() => tmp.cleanup())
  const key = randomBytes(32).toString('base64')
  const password = 'correct horse battery staple'

  it('refuses store writes while the service runs, saying what to do; after a stop the same command works and the user can sign in', async () => {
    const cwd = tmp.dir
    const service = await startService(cwd)
    const exited = new Promise((r) => service.child.on('exit', r))
    try {
      expect(existsSync(path.join(cwd, 'data', 'pglite.lock'))).toBe(true)
      const attempts: [string[], Record<string, string>][] = [
        [['users', 'add', 'comms', '--role', 'admin'], { WARDGUARD_NEW_PASSWORD: password }],
        [['tokens', 'rotate'], { TOKEN_ENCRYPTION_KEY: key }],
        [['accounts', 'remove', 'cllr-x', '--reason', 'left office'], {}],
        [['slack', 'check'], { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }],
        [
          ['connect', 'facebook', '--user-token', 'EAAB-not-used'],
          { TOKEN_ENCRYPTION_KEY: key, FACEBOOK_APP_ID: '1', FACEBOOK_APP_SECRET: 's' },
        ],
      ]
      for (const [args, env] of attempts) {
        const r = await runCli(args, { cwd, env })
        expect(r.code, args.join(' ')).toBe(1)
        expect(r.stderr, args.join(' ')).toContain(
          `is in use by process ${service.child.pid} (wardguard start`,
        )
        expect(r.stderr).toContain('Stop the service first')
        expect(r.stdout).not.toContain('saved')
        expect(r.stderr).not.toMatch(/\n\s+at /)
      }
      // the refused user really was not written somewhere the service cannot see
      expect(await signIn(service.url, 'comms', password)).toBe(false)
    } finally {
      service.child.kill('SIGTERM')
      await exited
    }
    expect(existsSync(path.join(cwd, 'data', 'pglite.lock'))).toBe(false)

    const added = await runCli(['users', 'add', 'comms', '--role', 'admin'], {
      cwd,
      env: { WARDGUARD_NEW_PASSWORD: password },
    })
    expect(added.stdout).toContain('user comms (admin) saved')
    const again = await startService(cwd)
    const stopped = new Promise((r) => again.child.on('exit', r))
    try {
      expect(await signIn(again.url, 'comms', password)).toBe(true)
    } finally {
      again.child.kill('SIGTERM')
      await stopped
    }
  }, 300_000)

  it('takes over a lock left by a process that has gone (killed with SIGKILL, say)', () => {
    const dir = path.join(tmp.dir, 'stale', 'pglite')
    mkdirSync(path.dirname(dir))
    // pid 2^22 + 1 is above Linux's pid_max, so no process has it
    writeFileSync(
      lockFileFor(dir),
      JSON.stringify({ pid: 4_194_305, host: hostname(), startedAt: 'earlier' }),
    )
    const lock = lockStore(dir)
    lock.release()
    expect(existsSync(lockFileFor(dir))).toBe(false)
  })

  it('refuses a lock held by a live process on this machine', () => {
    const dir = path.join(tmp.dir, 'live', 'pglite')
    mkdirSync(path.dirname(dir))
    writeFileSync(
      lockFileFor(dir),
      JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: 'now' }),
    )
    expect(() => lockStore(dir)).toThrow(StoreLockedError)
    expect(existsSync(lockFileFor(dir))).toBe(true)
  })
})
