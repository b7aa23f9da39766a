import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keyringFromEnv, saveToken } from '../../src/accounts/index.js'
import { migrate, openDatabase } from '../../src/audit/index.js'
import { runCli } from '../helpers/process.js'
import { tempDir } from '../helpers/tmp.js'

const KEY = randomBytes(32).toString('base64')
const SECRET = 'EAAStoredPageToken123'

/**
 * `wardguard start` refuses to run when stored tokens cannot be opened: with no key, or with a
 * key that did not seal them. It says which variable to fix, and never prints a token.
 */
describe('wardguard start with stored tokens', () => {
  const tmp = tempDir('wardguard-key-')
  afterAll(() => tmp.cleanup())

  beforeAll(async () => {
    mkdirSync(path.join(tmp.dir, 'data'), { recursive: true })
    const db = await openDatabase({ dataDir: path.join(tmp.dir, 'data', 'pglite') })
    await migrate(db)
    const keyring = keyringFromEnv({ TOKEN_ENCRYPTION_KEY: KEY })
    if (!keyring) throw new Error('no keyring')
    await saveToken(db, keyring, { accountId: 'cllr-stored', kind: 'page', secret: SECRET })
    await db.close()
  }, 60_000)

  it('exits 2 naming TOKEN_ENCRYPTION_KEY when the key is missing', async () => {
    const r = await runCli(['start', '--port', '0'], { cwd: tmp.dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/TOKEN_ENCRYPTION_KEY: not set/)
    expect(r.stdout + r.stderr).not.toContain(SECRET)
  }, 60_000)

  it('exits 2 naming the key id when the key is a different one', async () => {
    const r = await runCli(['start', '--port', '0'], {
      cwd: tmp.dir,
      env: { TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') },
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/TOKEN_ENCRYPTION_KEY: .*sealed with key [0-9a-f]{16}/)
    expect(r.stdout + r.stderr).not.toContain(SECRET)
  }, 60_000)

  it('exits 2 naming the variable when the key is malformed', async () => {
    const r = await runCli(['start', '--port', '0'], {
      cwd: tmp.dir,
      env: { TOKEN_ENCRYPTION_KEY: 'not-a-key' },
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/TOKEN_ENCRYPTION_KEY/)
    expect(r.stderr).not.toContain('not-a-key')
  }, 60_000)
})
