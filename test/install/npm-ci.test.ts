import { spawn } from 'node:child_process'
import { copyFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/tmp.js'

/**
 * What a clean clone, the Docker build and CI do first: `npm ci` on the committed package.json
 * and lock. It refuses a lock that does not match package.json (the "Missing: @biomejs/cli-… from
 * lock file" that broke the Dockerfile), and a newcomer should see no install-script warning.
 */
describe('npm ci on the committed lock', () => {
  const tmp = tempDir('wardguard-npm-ci-')
  afterAll(() => tmp.cleanup())

  it('installs exactly the lock, with no warning about install scripts', async () => {
    for (const f of ['package.json', 'package-lock.json', '.npmrc'])
      copyFileSync(f, path.join(tmp.dir, f))
    const child = spawn('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: tmp.dir,
      env: { ...process.env, npm_config_loglevel: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    const code = await new Promise<number | null>((r) => child.on('exit', r))
    expect(code, output).toBe(0)
    expect(output).not.toMatch(/install-scripts|allowScripts/)
    expect(output).not.toMatch(/Missing: .* from lock file/)
    // the binaries the tools need arrived as their platform packages, with no script run
    expect(existsSync(path.join(tmp.dir, 'node_modules/@biomejs/biome'))).toBe(true)
    expect(existsSync(path.join(tmp.dir, 'node_modules/.bin/tsx'))).toBe(true)
  }, 600_000)
})
