import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addUser, createWebRoutes, type WebDeps } from '../../src/web/index.js'
import { openTestDb, type TestDb } from '../audit/backends.js'
import { type Harness, startHarness } from '../helpers/harness.js'
import { ACCOUNTS, PASSWORD } from '../web/fixtures.js'

/** Issue 11, item 7: CSP and HSTS, /metrics kept to its scraper, Secure cookies over TLS. */
describe('web and HTTP defences', () => {
  let h: Harness
  let t: TestDb
  beforeAll(async () => {
    h = await startHarness({ env: { PUBLIC_URL: 'https://wardguard.example.gov.uk' } })
    t = await openTestDb('pglite')
    await addUser(t.db, { username: 'admin', role: 'admin', password: PASSWORD })
  })
  afterAll(async () => {
    await h?.stop()
    await t?.dispose()
  })

  it('sends a strict Content-Security-Policy (no script may run) and HSTS when PUBLIC_URL is https', async () => {
    const res = await fetch(`${h.service.url}/signin`)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toMatch(/script-src/)
    // stylesheets from this site only, plus the evidence file's inline one by its hash
    expect(csp).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/)
    const text = await res.text()
    expect(text).not.toMatch(/<script(?![^>]*application\/json)/)
    expect(text).not.toContain('<style')
    expect(text).toContain('<link rel="stylesheet" href="/assets/wardguard.css">')
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
    const css = await fetch(`${h.service.url}/assets/wardguard.css`)
    expect(css.headers.get('content-type')).toContain('text/css')
    expect(css.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('keeps /metrics to this machine without METRICS_TOKEN: anything a proxy forwards is refused', async () => {
    expect((await fetch(`${h.service.url}/metrics`)).status).toBe(200)
    const forwarded = await fetch(`${h.service.url}/metrics`, {
      headers: { 'x-forwarded-for': '203.0.113.5' },
    })
    expect(forwarded.status).toBe(403)
  })

  it('asks for the bearer token on /metrics when METRICS_TOKEN is set', async () => {
    const token = 'a-long-metrics-scrape-token'
    await h.restart({ METRICS_TOKEN: token })
    try {
      expect((await fetch(`${h.service.url}/metrics`)).status).toBe(401)
      const wrong = await fetch(`${h.service.url}/metrics`, {
        headers: { authorization: 'Bearer not-the-token-at-all' },
      })
      expect(wrong.status).toBe(401)
      const ok = await fetch(`${h.service.url}/metrics`, {
        headers: { authorization: `Bearer ${token}` },
      })
      expect(ok.status).toBe(200)
    } finally {
      h.env.METRICS_TOKEN = ''
      await h.restart({ METRICS_TOKEN: '' })
    }
  })

  const web = (extra: Partial<WebDeps> = {}) =>
    createWebRoutes({
      db: t.db,
      accounts: () => ACCOUNTS,
      council: { name: 'Test Borough Council' },
      sessionSecret: 'test-session-secret-that-is-long-enough-1234',
      ...extra,
    })

  async function signInCookies(app: ReturnType<typeof web>, headers: Record<string, string>) {
    const form = await app.request('http://localhost/signin', { headers })
    const presession = form.headers.getSetCookie()
    const csrf = /name="_csrf" value="([^"]*)"/.exec(await form.text())?.[1] ?? ''
    const res = await app.request('http://localhost/signin', {
      method: 'POST',
      body: new URLSearchParams({ username: 'admin', password: PASSWORD, _csrf: csrf }),
      headers: {
        ...headers,
        origin: 'http://localhost',
        'content-type': 'application/x-www-form-urlencoded',
        cookie: presession.map((c) => c.split(';')[0]).join('; '),
      },
    })
    expect(res.status).toBe(303)
    return { presession, session: res.headers.getSetCookie() }
  }

  it('marks cookies Secure when the request came over TLS through a trusted proxy, even without PUBLIC_URL', async () => {
    const tls = await signInCookies(web({ trustProxy: true }), { 'x-forwarded-proto': 'https' })
    for (const c of [...tls.presession, ...tls.session.filter((x) => x.startsWith('wg_session='))])
      expect(c).toMatch(/;\s*Secure/i)
    // an untrusted header proves nothing, and plain http stays plain
    const untrusted = await signInCookies(web(), { 'x-forwarded-proto': 'https' })
    expect(untrusted.session.find((x) => x.startsWith('wg_session='))).not.toMatch(/Secure/i)
  })
})
