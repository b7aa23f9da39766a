import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createWebRoutes, type WebDeps } from '../../src/web/index.js'
import { openTestDb, type TestDb } from '../audit/backends.js'
import { ACCOUNTS, addStandardUsers, Client, PASSWORD } from '../web/fixtures.js'

/**
 * Issue 11, item 5: parallel guesses cannot get past the lock-out, a stranger cannot lock a
 * colleague out, the wait grows, and a flood of sign-ins cannot occupy every core with scrypt.
 */
describe('sign-in throttling', () => {
  let t: TestDb
  let clock = new Date('2026-06-01T09:00:00.000Z')
  const app = (extra: Partial<WebDeps> = {}) =>
    createWebRoutes({
      db: t.db,
      accounts: () => ACCOUNTS,
      council: { name: 'Test Borough Council' },
      sessionSecret: 'test-session-secret-that-is-long-enough-1234',
      now: () => clock,
      trustProxy: true,
      ...extra,
    })
  beforeAll(async () => {
    t = await openTestDb('pglite')
    await addStandardUsers(t.db)
  }, 180_000)
  beforeEach(async () => {
    await t.db.query('delete from web_signin_throttle')
  })
  afterAll(async () => {
    await t?.dispose()
  })

  /** A sign-in form fetched once, then posted many times at once from one address. */
  async function parallelGuesses(client: Client, passwords: string[], from: string) {
    await client.request('/signin')
    const csrf = client.csrf
    return Promise.all(
      passwords.map((password) =>
        client.request('/signin', {
          method: 'POST',
          body: new URLSearchParams({ username: 'brown', password, _csrf: csrf, next: '/audit' }),
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-forwarded-for': from,
          },
        }),
      ),
    )
  }

  it('checks no more than 5 of 20 parallel guesses, so the one holding the password fails too', async () => {
    const client = new Client(app({ hashConcurrency: 100 }))
    const guesses = [...Array.from({ length: 19 }, (_, i) => `guess-${i}`), PASSWORD]
    const answers = await parallelGuesses(client, guesses, '203.0.113.9')
    const statuses = answers.map((r) => r.status)
    expect(statuses.filter((s) => s === 401 || s === 303).length).toBeLessThanOrEqual(5)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15)
    // the right password was sent last: by then the address was locked
    expect(statuses.at(-1)).toBe(429)
  }, 120_000)

  it('locks the guessing address only: the real user elsewhere still signs in', async () => {
    const attacker = new Client(app())
    for (let i = 0; i < 6; i++) {
      await attacker.request('/signin')
      await attacker.request('/signin', {
        method: 'POST',
        body: new URLSearchParams({ username: 'brown', password: 'nope', _csrf: attacker.csrf }),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': '198.51.100.7',
        },
      })
    }
    const user = new Client(app())
    await user.request('/signin')
    const res = await user.request('/signin', {
      method: 'POST',
      body: new URLSearchParams({ username: 'brown', password: PASSWORD, _csrf: user.csrf }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': '192.0.2.44',
      },
    })
    expect(res.status).toBe(303)
  })

  it('makes each further failure wait longer: 1 minute, then 2', async () => {
    const c = new Client(app())
    for (let i = 0; i < 5; i++) expect((await c.signIn('brown', 'wrong')).status).toBe(401)
    const locked = await c.signIn('brown', PASSWORD)
    expect(locked.status).toBe(429)
    expect(locked.headers.get('retry-after')).toBe('60')
    clock = new Date(clock.getTime() + 61_000)
    expect((await c.signIn('brown', 'wrong again')).status).toBe(401)
    expect((await c.signIn('brown', PASSWORD)).status).toBe(429)
    clock = new Date(clock.getTime() + 61_000)
    expect((await c.signIn('brown', PASSWORD)).status).toBe(429)
    clock = new Date(clock.getTime() + 60_000)
    expect((await c.signIn('brown', PASSWORD)).status).toBe(303)
  })

  it('turns away a flood of sign-ins quickly instead of hashing them all at once', async () => {
    const c = new Client(app({ hashConcurrency: 1 }))
    await c.request('/signin')
    const csrf = c.csrf
    const started = performance.now()
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        c
          .request('/signin', {
            method: 'POST',
            body: new URLSearchParams({ username: `nobody${i}`, password: 'x', _csrf: csrf }),
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-forwarded-for': `203.0.113.${i}`,
            },
          })
          .then((r) => ({
            status: r.status,
            retry: r.headers.get('retry-after'),
            ms: performance.now() - started,
          })),
      ),
    )
    const busy = answers.filter((a) => a.status === 503)
    expect(busy.length).toBeGreaterThanOrEqual(10)
    expect(busy.every((a) => a.retry !== null)).toBe(true)
    expect(answers.filter((a) => a.status === 401).length).toBeGreaterThanOrEqual(1)
  })
})
