import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/tmp.js'

/**
 * The compiled build as the Docker image lays it out (/app: package.json, config/, node_modules/,
 * dist/), built by `npm run build`'s own script into a scratch folder away from src/ and test/,
 * so nothing can quietly load a TypeScript source. Each command the CLI offers must run.
 */
describe('the compiled build (what the Docker image runs)', () => {
  const tmp = tempDir('wardguard-dist-')
  const app = path.join(tmp.dir, 'app')
  const main = path.join(app, 'dist', 'src', 'cli', 'main.js')
  afterAll(() => tmp.cleanup())

  beforeAll(() => {
    mkdirSync(app)
    execFileSync(process.execPath, ['scripts/build.mjs', '--out', path.join(app, 'dist')], {
      stdio: 'pipe',
    })
    copyFileSync('package.json', path.join(app, 'package.json'))
    symlinkSync(path.resolve('config'), path.join(app, 'config'))
    symlinkSync(path.resolve('node_modules'), path.join(app, 'node_modules'))
  }, 240_000)

  function run(args: string[], input = '', timeoutMs = 150_000) {
    const child = spawn(process.execPath, [main, ...args], {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmp.dir,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    child.stdin.end(input)
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    const exited = new Promise<number | null>((r) =>
      child.on('exit', (code) => {
        clearTimeout(timer)
        r(code)
      }),
    )
    return { child, exited, output: () => output }
  }

  it('classify: JSON Lines in, decisions out', async () => {
    const r = run(
      ['classify'],
      '{"id":"a","platform":"x","text":"you are a useless f*cking c.u.n.t"}\n',
    )
    expect(await r.exited).toBe(0)
    expect(JSON.parse(r.output().trim().split('\n')[0] ?? '')).toMatchObject({
      id: 'a',
      action: 'hide',
    })
  }, 60_000)

  it('--help offers an example for each command it lists, and demo --help runs', async () => {
    const r = run(['demo', '--help'])
    expect(await r.exited).toBe(0)
    expect(r.output()).toContain('--keep')
    expect(r.output()).toContain('Example')
  }, 60_000)

  it('demo: the whole service against the simulators, from dist/ alone', async () => {
    const r = run(['demo'])
    expect(await r.exited).toBe(0)
    expect(r.output()).toContain('HIDDEN on the platform')
    expect(r.output()).toContain('DELETED')
    expect(r.output()).toContain('Readiness: ready')
    expect(r.output()).not.toContain('ERR_MODULE_NOT_FOUND')
  }, 180_000)

  it('start: answers /readyz, serves the web app with its stylesheet, stops on SIGTERM', async () => {
    const r = run(['start', '--port', '0'])
    const deadline = Date.now() + 120_000
    let url = ''
    while (!url) {
      url = r.output().match(/running at (http:\/\/\S+)/)?.[1] ?? ''
      if (Date.now() > deadline || r.child.exitCode !== null) throw new Error(r.output())
      await new Promise((res) => setTimeout(res, 200))
    }
    expect((await fetch(`${url}/readyz`)).status).toBe(200)
    const signin = await (await fetch(`${url}/signin`)).text()
    const css = signin.match(/href="(\/[^"]+\.css[^"]*)"/)?.[1]
    expect(css).toBeDefined()
    expect((await fetch(`${url}${css}`)).status).toBe(200)
    r.child.kill('SIGTERM')
    expect(await r.exited).toBe(0)
  }, 180_000)
})
