import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keyringFromEnv } from '../../src/accounts/keyring.js'
import { readAllTokens } from '../../src/accounts/token-store.js'
import type { Db } from '../../src/audit/db.js'
import { eventsForSubject } from '../../src/audit/index.js'
import { migrate } from '../../src/audit/migrate.js'
import { openPglite } from '../../src/audit/pglite.js'
import { FACEBOOK_SCOPE_LIST } from '../../src/connectors/facebook/oauth.js'
import { tempDir, writeFile } from '../helpers/tmp.js'
import { clickThroughConsent } from '../simulators/consent-form.js'
import { type GraphSimulator, startGraphSimulator } from '../simulators/graph-sim.js'
import { startXSimulator, type XSimulator } from '../simulators/x-sim.js'

const BIN = path.resolve('bin/wardguard.js')
const NEW_PAGE = '100000000000201'
const SECOND_PAGE = '100000000000202'
const ANALYST_PAGE = '100000000000203'
const YAML_PAGE = '100000000000204'
const YAML_TOKEN = `EAAY${randomBytes(20).toString('hex')}`
const X_USER = '2000000000000000301'
const KEY = randomBytes(32).toString('base64')

type Run = { code: number | null; stdout: string; stderr: string }

/**
 * Runs the real CLI with a clean environment. `input` is written to its standard input; when
 * it is a function it is called with the output so far, once it holds `waitFor`.
 */
function run(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  input?: string | { waitFor: RegExp; answer: (stdout: string) => Promise<string> },
): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, LOG_LEVEL: 'warn', USER: 'tess', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let answered = false
  child.stdout.on('data', (d) => {
    stdout += d
    if (input && typeof input !== 'string' && !answered && input.waitFor.test(stdout)) {
      answered = true
      void input.answer(stdout).then((line) => child.stdin.end(`${line}\n`))
    }
  })
  child.stderr.on('data', (d) => {
    stderr += d
  })
  if (typeof input === 'string') child.stdin.end(input)
  else if (!input) child.stdin.end()
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

describe('wardguard connect and accounts', () => {
  const tmp = tempDir('wardguard-connect-')
  const dataDir = path.join(tmp.dir, 'data')
  let graph: GraphSimulator
  let x: XSimulator
  let env: Record<string, string>
  let userToken: string

  const withDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    const db = await openPglite(path.join(dataDir, 'pglite'))
    try {
      await migrate(db)
      return await fn(db)
    } finally {
      await db.close()
    }
  }

  beforeAll(async () => {
    mkdirSync(dataDir)
    graph = await startGraphSimulator({ pages: { [YAML_PAGE]: YAML_TOKEN } })
    graph.state.addUser({
      id: '9101',
      name: 'Priya Patel',
      pages: [
        { id: NEW_PAGE, name: 'Cllr Priya Patel', tasks: ['MODERATE', 'CREATE_CONTENT'] },
        { id: SECOND_PAGE, name: 'Northfield Ward News', tasks: ['MODERATE'] },
        { id: ANALYST_PAGE, name: 'Council Press Office', tasks: ['ANALYZE'] },
        { id: YAML_PAGE, name: 'Cllr Jones', tasks: ['MODERATE'] },
      ],
    })
    // a short-lived user token, as the Graph API Explorer or a Login flow would give
    userToken = graph.state.oauth.mint({
      type: 'USER',
      appId: graph.state.oauth.app.id,
      userId: '9101',
      scopes: [...FACEBOOK_SCOPE_LIST],
      expiresAt: Math.floor(Date.now() / 1000) + 3_600,
      longLived: false,
    }).token
    x = await startXSimulator()
    x.state.addUser({ id: X_USER, username: 'cllr_patel', name: 'Cllr Priya Patel' })
    x.state.oauth.signedIn = X_USER
    const config = writeFile(
      tmp.dir,
      'wardguard.yaml',
      `
council: { name: Test Borough Council }
accounts:
  - id: cllr-jones
    platform: facebook
    pageId: "${YAML_PAGE}"
    name: Cllr Jones
    owner: { name: Jo Jones }
    tokenEnv: FB_TOKEN_JONES
    review: { channel: C0JONES1, moderators: [U0JONES1] }
`,
    )
    env = {
      DATA_DIR: dataDir,
      WARDGUARD_CONFIG: config,
      FB_TOKEN_JONES: YAML_TOKEN,
      FACEBOOK_APP_ID: graph.state.oauth.app.id,
      FACEBOOK_APP_SECRET: graph.state.oauth.app.secret,
      FACEBOOK_VERIFY_TOKEN: 'verify-me',
      FACEBOOK_GRAPH_URL: graph.url,
      X_API_URL: x.url,
      X_AUTHORIZE_URL: `${x.url}/i/oauth2/authorize`,
      X_CLIENT_ID: x.state.oauth.client.id,
      X_CLIENT_SECRET: x.state.oauth.client.secret ?? '',
      TOKEN_ENCRYPTION_KEY: KEY,
    }
  })
  afterAll(async () => {
    await graph?.stop()
    await x?.stop()
    tmp.cleanup()
  })

  it('lists the Pages the user can moderate, with the token read from stdin', async () => {
    const r = await run(['connect', 'facebook', '--user-token', '-'], env, tmp.dir, userToken)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`${NEW_PAGE}\\s+Cllr Priya Patel\\s+not watched yet`))
    expect(r.stdout).toMatch(new RegExp(`${SECOND_PAGE}\\s+Northfield Ward News`))
    expect(r.stdout).toMatch(
      new RegExp(`${YAML_PAGE}\\s+Cllr Jones\\s+watched as cllr-jones \\(YAML\\)`),
    )
    expect(r.stdout).not.toContain(ANALYST_PAGE)
    expect(r.stdout).not.toContain(userToken)
    expect(graph.state.oauth.subscribedFields(NEW_PAGE)).toEqual([])
  }, 60_000)

  const connectArgs = [
    'connect',
    'facebook',
    '--user-token',
    '-',
    '--page',
    NEW_PAGE,
    '--id',
    'cllr-patel',
    '--owner',
    'Priya Patel',
    '--channel',
    'C0PATEL01',
    '--moderators',
    'U0PATEL1,U0PATEL2',
  ]

  it('refuses to connect without TOKEN_ENCRYPTION_KEY (exit 2) and touches nothing', async () => {
    const { TOKEN_ENCRYPTION_KEY: _, ...noKey } = env
    const r = await run(connectArgs, noKey, tmp.dir, userToken)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('TOKEN_ENCRYPTION_KEY: not set')
    expect(graph.state.oauth.subscribedFields(NEW_PAGE)).toEqual([])
  }, 60_000)

  it('names every missing setting for a Page not watched yet', async () => {
    const r = await run(
      ['connect', 'facebook', '--user-token', '-', '--page', NEW_PAGE, '--id', 'cllr-patel'],
      env,
      tmp.dir,
      userToken,
    )
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('missing --owner, --channel, --moderators')
    expect(graph.state.oauth.subscribedFields(NEW_PAGE)).toEqual([])
  }, 60_000)

  it('connects a Page: webhook subscribed, Page token sealed in the store, audit event', async () => {
    const r = await run(connectArgs, env, tmp.dir, userToken)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`connected Page Cllr Priya Patel (${NEW_PAGE}) as cllr-patel`)
    expect(graph.state.oauth.subscribedFields(NEW_PAGE)).toEqual(['feed'])

    await withDb(async (db) => {
      const stored = (await readAllTokens(db, keyringFromEnv(env)!)).get('cllr-patel')?.get('page')
      // the token Graph handed out for this Page: it works on the Page
      expect(graph.state.pageForToken(stored?.secret ?? null)?.id).toBe(NEW_PAGE)
      const raw = await db.query<{ ciphertext: Uint8Array }>(
        "select ciphertext from account_token where account_id = 'cllr-patel'",
      )
      expect(Buffer.from(raw[0]?.ciphertext ?? []).toString('latin1')).not.toContain(stored?.secret)
      const events = await eventsForSubject(db, 'account.cllr-patel')
      expect(events.map((e) => e.type)).toEqual(['account.connected'])
      expect(events[0]?.actor).toEqual({ kind: 'moderator', id: 'cli:tess' })
    })
  }, 60_000)

  it('connects an X account: prints the authorize address, reads the callback address', async () => {
    const callback = 'https://wardguard.example.gov.uk/audit/accounts/x/callback'
    const r = await run(
      [
        'connect',
        'x',
        '--id',
        'cllr-patel-x',
        '--owner',
        'Priya Patel',
        '--channel',
        'C0PATEL01',
        '--moderators',
        'U0PATEL1',
      ],
      { ...env, PUBLIC_URL: 'https://wardguard.example.gov.uk' },
      tmp.dir,
      {
        waitFor: /press Enter/,
        answer: async (out) => {
          const url = /\s(http:\/\/\S+\/i\/oauth2\/authorize\S+)/.exec(out)?.[1] ?? ''
          const back = await clickThroughConsent(url)
          expect(`${back.origin}${back.pathname}`).toBe(callback)
          return back.toString()
        },
      },
    )
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('connected X account @cllr_patel as cllr-patel-x')
    await withDb(async (db) => {
      const stored = (await readAllTokens(db, keyringFromEnv(env)!)).get('cllr-patel-x')
      expect(x.state.oauth.userIdFor(stored?.get('access')?.secret ?? null)).toBe(X_USER)
      expect(stored?.get('refresh')).toBeDefined()
    })
  }, 60_000)

  it('lists YAML and connected accounts with their token source, and removes a connected one', async () => {
    const listed = await run(['accounts', 'list'], env, tmp.dir)
    expect(listed.code).toBe(0)
    expect(listed.stdout).toMatch(
      /cllr-jones\s+facebook\s+\d+\s+YAML\s+env FB_TOKEN_JONES\s+not checked yet/,
    )
    expect(listed.stdout).toMatch(
      /cllr-patel\s+facebook\s+\d+\s+web app\/CLI\s+stored \(encrypted\)/,
    )
    expect(listed.stdout).toMatch(/cllr-patel-x\s+x\s+\d+\s+web app\/CLI\s+stored \(encrypted\)/)
    expect(listed.stdout).not.toContain(YAML_TOKEN)

    const yaml = await run(['accounts', 'remove', 'cllr-jones', '--reason', 'test'], env, tmp.dir)
    expect(yaml.code).toBe(1)
    expect(yaml.stderr).toContain('managed in the YAML file')

    const removed = await run(
      ['accounts', 'remove', 'cllr-patel', '--reason', 'stood down at the election'],
      env,
      tmp.dir,
    )
    expect(removed.stderr).toBe('')
    expect(removed.code).toBe(0)
    expect(removed.stdout).toContain('removed cllr-patel: the platform was told')
    expect(removed.stdout).toContain('1 stored token deleted')
    expect(graph.state.oauth.subscribedFields(NEW_PAGE)).toEqual([])
    await withDb(async (db) => {
      expect((await readAllTokens(db, keyringFromEnv(env)!)).has('cllr-patel')).toBe(false)
      const events = await eventsForSubject(db, 'account.cllr-patel')
      expect(events.map((e) => e.type)).toEqual(['account.connected', 'account.removed'])
      expect(events[1]?.reason).toBe('stood down at the election')
    })
    const after = await run(['accounts', 'list'], env, tmp.dir)
    expect(after.stdout).not.toMatch(/^cllr-patel\s/m)
    expect(after.stdout).toMatch(/^cllr-patel-x\s/m)
  }, 120_000)
})
