import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '../../src/web/index.js'
import { openTestDb, type TestDb } from '../audit/backends.js'
import {
  addStandardUsers,
  Client,
  makeApp,
  PASSWORD,
  type Seeded,
  seedComment,
} from './fixtures.js'

describe('web auth', () => {
  let t: TestDb
  let clock = new Date('2026-05-20T12:00:00.000Z')
  let onA: Seeded
  let onB: Seeded
  const app = () => makeApp(t.db, () => clock)
  beforeAll(async () => {
    t = await openTestDb('pglite')
    await addStandardUsers(t.db)
    onA = await seedComment(t.db, {
      accountId: 'cllr-a',
      text: 'useless c*nt',
      decision: 'act',
      categories: ['profanity'],
      at: '2026-05-19T10:00:00.000Z',
    })
    onB = await seedComment(t.db, {
      accountId: 'cllr-b',
      text: 'go away you idiot',
      decision: 'review',
      categories: ['harassment'],
      at: '2026-05-19T11:00:00.000Z',
    })
  })
  afterAll(() => t?.dispose())

  it('signs in with the right password and sets an HttpOnly SameSite=Lax signed cookie', async () => {
    const c = new Client(app())
    const res = await c.signIn('admin')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/audit/decisions')
    const cookie = res.headers.getSetCookie().find((x) => x.startsWith('wg_session='))
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    // a signed cookie: value.signature
    expect(cookie?.split(';')[0]).toMatch(/^wg_session=[^.]+\.[^;]+$/)
    expect((await c.request('/audit/decisions')).status).toBe(200)
  })

  it('refuses a wrong password and an unknown user with the same message', async () => {
    const c = new Client(app())
    const wrong = await c.signIn('auditor', 'not the password')
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).toContain('Wrong username or password')
    const unknown = await c.signIn('nobody', PASSWORD)
    expect(unknown.status).toBe(401)
    expect((await c.request('/audit/decisions')).status).toBe(303)
  })

  it('locks a username (from one address) after 5 failures, even against the right password', async () => {
    const c = new Client(app())
    await addStandardUsers(t.db)
    for (let i = 0; i < 5; i++) expect((await c.signIn('brown', 'wrong')).status).toBe(401)
    const locked = await c.signIn('brown', PASSWORD)
    expect(locked.status).toBe(429)
    expect(await locked.text()).toContain('Too many failed attempts')
    clock = new Date(clock.getTime() + 16 * 60_000)
    expect((await c.signIn('brown', PASSWORD)).status).toBe(303)
  })

  it('sends a visitor without a session to the sign-in page', async () => {
    const res = await new Client(app()).request('/audit/decisions?outcome=act')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/signin?next=%2Faudit%2Fdecisions%3Foutcome%3Dact')
  })

  it('refuses a tampered session cookie', async () => {
    const res = await app().request('http://localhost/audit', {
      headers: { cookie: 'wg_session=forged-id.c2lnbmF0dXJl' },
    })
    expect(res.status).toBe(303)
  })

  it('refuses a form post without the CSRF token, or from another origin', async () => {
    const c = new Client(app())
    await c.request('/signin')
    const noToken = await c.post('/signin', { username: 'admin', password: PASSWORD })
    expect(noToken.status).toBe(403)
    const foreign = await c.post(
      '/signin',
      { username: 'admin', password: PASSWORD, _csrf: c.csrf },
      { origin: 'https://evil.example' },
    )
    expect(foreign.status).toBe(403)
    expect((await c.signIn('admin')).status).toBe(303)
    await c.request('/audit/tokens')
    const sessionToken = c.csrf
    const noTokenSignedIn = await c.post('/audit/tokens', { username: 'auditor', label: 'x' })
    expect(noTokenSignedIn.status).toBe(403)
    const noOrigin = await c.post(
      '/audit/tokens',
      { username: 'auditor', label: 'x', _csrf: sessionToken },
      { origin: null },
    )
    expect(noOrigin.status).toBe(403)
    const ok = await c.post('/audit/tokens', {
      username: 'auditor',
      label: 'x',
      _csrf: sessionToken,
    })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toMatch(/id="new-token">wgt_/)
  })

  it('shows a councillor only their own accounts', async () => {
    const c = new Client(app())
    await c.signIn('adams')
    expect((await c.request(`/audit/comments/${onA.subjectKey}`)).status).toBe(200)
    const other = await c.request(`/audit/comments/${onB.subjectKey}`)
    expect(other.status).toBe(404)
    const list = await (await c.request('/audit/decisions')).text()
    expect(list).toContain('Cllr Adams')
    expect(list).not.toContain(onB.subjectKey)
    const forced = await (await c.request('/audit/decisions?account=cllr-b')).text()
    expect(forced).toContain('No decisions match')
    const csv = await (await c.request('/audit/export.csv')).text()
    expect(csv).toContain(onA.subjectKey.split('.')[1])
    expect(csv).not.toContain(onB.subjectKey.split('.')[1])
    // a councillor sees the words on their own Page (issue 14) unless they turn it off;
    // evidence bundles are for admins and auditors
    expect(await (await c.request(`/audit/comments/${onA.subjectKey}`)).text()).toContain(
      'useless c*nt',
    )
    await c.request('/audit/settings')
    const saved = await c.post('/audit/settings', { _csrf: c.csrf, displayName: 'Ann Adams' })
    expect(saved.status).toBe(303)
    expect(await (await c.request(`/audit/comments/${onA.subjectKey}`)).text()).not.toContain(
      'useless c*nt',
    )
    await c.request('/audit/settings')
    await c.post('/audit/settings', { _csrf: c.csrf, displayName: 'Ann Adams', showText: 'yes' })
    expect((await c.request(`/audit/evidence?comment=${onA.subjectKey}`)).status).toBe(403)
    expect((await c.request('/audit/tokens')).status).toBe(403)
  })

  it('lets an auditor read everything but not manage tokens', async () => {
    const c = new Client(app())
    await c.signIn('auditor')
    expect(await (await c.request(`/audit/comments/${onB.subjectKey}`)).text()).toContain(
      'go away you idiot',
    )
    expect((await c.request('/audit/tokens')).status).toBe(403)
  })

  it('accepts a read-only API token for exports only, with its user’s scope', async () => {
    const { token } = await createApiToken(t.db, 'adams', 'reporting')
    const a = app()
    const res = await a.request('http://localhost/audit/export.json', {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(res.status).toBe(200)
    const rows = (await res.json()) as { account_id: string }[]
    expect(rows.length).toBeGreaterThan(0)
    expect(new Set(rows.map((r) => r.account_id))).toEqual(new Set(['cllr-a']))
    const bad = await a.request('http://localhost/audit/export.json', {
      headers: { authorization: `Bearer ${token}x` },
    })
    expect(bad.status).toBe(401)
    // a token opens no page and no form
    const page = await a.request('http://localhost/audit/decisions', {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(page.status).toBe(303)
    const post = await a.request('http://localhost/audit/tokens', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        origin: 'http://localhost',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'username=admin&label=x',
    })
    expect(post.status).toBe(401)
  })

  it('signs out and the old cookie no longer works', async () => {
    const c = new Client(app())
    await c.signIn('admin')
    await c.request('/audit')
    const cookieBefore = c
    expect((await c.post('/signout', { _csrf: c.csrf })).status).toBe(303)
    expect((await cookieBefore.request('/audit')).status).toBe(303)
  })
})
