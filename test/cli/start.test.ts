import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ManagedRedis } from '../../src/queue/redis-server.js'
import { isAlive } from '../helpers/process.js'
import { tempDir, writeFile } from '../helpers/tmp.js'

const BIN = path.resolve('bin/wardguard.js')

type Run = { child: ChildProcess; output: () => string; exited: Promise<number | null> }

/** Runs the real CLI as a user would, in a scratch folder with a clean environment. */
function run(args: string[], env: Record<string, string>, cwd: string): Run {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (d) => {
    output += d
  })
  child.stderr?.on('data', (d) => {
    output += d
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

async function waitForOutput(
  r: Run,
  pattern: RegExp,
  timeoutMs = 60_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const m = r.output().match(pattern)
    if (m) return m
    if (Date.now() > deadline || r.child.exitCode !== null) {
      throw new Error(`no ${pattern} in output:\n${r.output()}`)
    }
    await new Promise((res) => setTimeout(res, 100))
  }
}

describe('wardguard CLI', () => {
  const tmp = tempDir('wardguard-cli-')
  afterAll(() => tmp.cleanup())

  it('lists its commands in --help', async () => {
    const r = run(['--help'], {}, tmp.dir)
    expect(await r.exited).toBe(0)
    for (const cmd of ['start', 'demo', 'classify', 'policy', 'config'])
      expect(r.output()).toContain(cmd)
  })

  it('starts on embedded defaults, answers /readyz, and stops cleanly on Ctrl-C leaving no redis-server', async () => {
    const cwd = path.join(tmp.dir, 'fresh')
    const r = run(['start', '--port', '0'], {}, tmp.dir)
    void cwd
    const [, url] = await waitForOutput(r, /running at (http:\/\/\S+)/)
    const ready = await fetch(`${url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { redis: 'ok', audit_store: 'ok' },
    })
    const pidFile = path.join(tmp.dir, 'data', 'redis', 'redis-server.pid')
    const redisPid = Number(readFileSync(pidFile, 'utf8'))
    expect(isAlive(redisPid)).toBe(true)
    r.child.kill('SIGINT')
    expect(await r.exited).toBe(0)
    expect(isAlive(redisPid)).toBe(false)
    expect(existsSync(pidFile)).toBe(false)
    expect(r.output()).not.toMatch(/\n\s+at /) // no stack trace
  }, 120_000)

  it('uses REDIS_URL when it is set instead of starting its own redis-server', async () => {
    // @NOTE a Redis of the test's own, not the machine's: nothing is left behind in a shared one
    const shared = new ManagedRedis({ dataDir: path.join(tmp.dir, 'shared-redis-server') })
    const redisUrl = await shared.start()
    try {
      const dir = path.join(tmp.dir, 'shared-redis')
      const r = run(['start', '--port', '0'], { REDIS_URL: redisUrl, DATA_DIR: dir }, tmp.dir)
      const [, url] = await waitForOutput(r, /running at (http:\/\/\S+)/)
      expect((await fetch(`${url}/readyz`)).status).toBe(200)
      expect(existsSync(path.join(dir, 'redis'))).toBe(false)
      r.child.kill('SIGTERM')
      expect(await r.exited).toBe(0)
    } finally {
      await shared.stop()
    }
  }, 120_000)

  it('refuses a bad configuration with one readable message naming every wrong key, before doing anything', async () => {
    const file = writeFile(
      tmp.dir,
      'bad.yaml',
      `accounts:
  - id: cllr-bad
    platform: facebook
    pageId: "123"
    name: Cllr Bad
    owner: { name: Bad }
    tokenEnv: FB_TOKEN_BAD
    review: { moderators: [U0ONE] }
`,
    )
    const dataDir = path.join(tmp.dir, 'never-created')
    const r = run(['start'], { WARDGUARD_CONFIG: file, DATA_DIR: dataDir, PORT: 'eighty' }, tmp.dir)
    expect(await r.exited).toBe(2)
    const out = r.output()
    expect(out).toContain('accounts[0] (cllr-bad).review.channel')
    expect(out).toContain('FB_TOKEN_BAD is not set')
    expect(out).toContain('PORT:')
    expect(out).not.toMatch(/\n\s+at /)
    expect(existsSync(dataDir)).toBe(false)
  })

  it('explains a malformed YAML file', async () => {
    const file = writeFile(tmp.dir, 'broken.yaml', 'accounts:\n  - id: [oops\n')
    const r = run(['config', 'check'], { WARDGUARD_CONFIG: file }, tmp.dir)
    expect(await r.exited).toBe(2)
    expect(r.output()).toMatch(/broken\.yaml: YAML syntax error/)
  })

  it('refuses separate roles on the embedded store', async () => {
    const r = run(['start', '--role', 'worker'], {}, tmp.dir)
    expect(await r.exited).toBe(2)
    expect(r.output()).toContain('need DATABASE_URL')
  })
})
