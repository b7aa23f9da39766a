import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keyringFromEnv } from '../../src/accounts/keyring.js'
import { readAllTokens, saveToken } from '../../src/accounts/token-store.js'
import { migrate } from '../../src/audit/migrate.js'
import { openPglite } from '../../src/audit/pglite.js'
import { tempDir } from '../helpers/tmp.js'

const BIN = path.resolve('bin/wardguard.js')

/** Runs the real CLI in a scratch folder with a clean environment; resolves with code and output. */
function run(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => {
    output += d
  })
  child.stderr.on('data', (d) => {
    output += d
  })
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })))
}

const keyA = randomBytes(32).toString('base64')
const keyB = randomBytes(32).toString('hex')
const ringA = keyringFromEnv({ TOKEN_ENCRYPTION_KEY: keyA })!
const ringB = keyringFromEnv({ TOKEN_ENCRYPTION_KEY: keyB })!
const PAGE_TOKEN = `EAAB${randomBytes(40).toString('base64url')}`
const X_TOKEN = `x-${randomBytes(20).toString('hex')}`

describe('wardguard tokens', () => {
  const tmp = tempDir('wardguard-tokens-')
  const dataDir = path.join(tmp.dir, 'data')
  afterAll(() => tmp.cleanup())

  // the store as the service left it: two tokens sealed under key A, in DATA_DIR's PGlite
  beforeAll(async () => {
    mkdirSync(dataDir)
    const db = await openPglite(path.join(dataDir, 'pglite'))
    await migrate(db)
    await saveToken(db, ringA, { accountId: 'cllr-patel', kind: 'page', secret: PAGE_TOKEN })
    await saveToken(db, ringA, { accountId: 'cllr-jones-x', kind: 'access', secret: X_TOKEN })
    await db.close()
  })

  it('rotate without a key says which variable to set and exits 2', async () => {
    const r = await run(['tokens', 'rotate'], { DATA_DIR: dataDir }, tmp.dir)
    expect(r.code).toBe(2)
    expect(r.output).toContain('TOKEN_ENCRYPTION_KEY: not set')
  }, 60_000)

  it('rotate with a new key but without the old one names the missing key and changes nothing', async () => {
    const r = await run(
      ['tokens', 'rotate'],
      { DATA_DIR: dataDir, TOKEN_ENCRYPTION_KEY: keyB },
      tmp.dir,
    )
    expect(r.code).toBe(2)
    expect(r.output).toContain(`sealed with key ${ringA.current.id}`)
    expect(r.output).not.toMatch(/\n\s+at /)
  }, 60_000)

  it('rotate re-encrypts every token under the new key; list then needs only it, and shows no token', async () => {
    const rotated = await run(
      ['tokens', 'rotate'],
      { DATA_DIR: dataDir, TOKEN_ENCRYPTION_KEY: keyB, TOKEN_ENCRYPTION_PREVIOUS_KEYS: keyA },
      tmp.dir,
    )
    expect(rotated.output).toContain(
      `re-encrypted 2 of 2 stored tokens under key ${ringB.current.id}`,
    )
    expect(rotated.code).toBe(0)

    const listed = await run(
      ['tokens', 'list'],
      { DATA_DIR: dataDir, TOKEN_ENCRYPTION_KEY: keyB },
      tmp.dir,
    )
    expect(listed.code).toBe(0)
    const lines = listed.output.trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[1]).toMatch(
      new RegExp(
        `^cllr-jones-x\\s+access\\s+${ringB.current.id} current\\s+never\\s+not checked yet$`,
      ),
    )
    expect(lines[2]).toMatch(/^cllr-patel\s+page\s/)
    for (const secret of [PAGE_TOKEN, X_TOKEN, keyA, keyB])
      expect(listed.output).not.toContain(secret)

    const again = await run(
      ['tokens', 'rotate'],
      { DATA_DIR: dataDir, TOKEN_ENCRYPTION_KEY: keyB },
      tmp.dir,
    )
    expect(again.output).toContain('re-encrypted 0 of 2 stored tokens')

    const db = await openPglite(path.join(dataDir, 'pglite'))
    try {
      const all = await readAllTokens(db, ringB)
      expect(all.get('cllr-patel')?.get('page')?.secret).toBe(PAGE_TOKEN)
      expect(all.get('cllr-jones-x')?.get('access')?.secret).toBe(X_TOKEN)
    } finally {
      await db.close()
    }
  }, 120_000)
})
