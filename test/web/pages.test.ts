import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDb, type TestDb } from '../audit/backends.js'
import { addStandardUsers, Client, makeHostApp } from './fixtures.js'

describe('pages every visitor meets', () => {
  let t: TestDb
  beforeAll(async () => {
    t = await openTestDb('pglite')
    await addStandardUsers(t.db)
  })
  afterAll(() => t?.dispose())

  it('answers a browser at an unknown address with a page, and an API caller with JSON', async () => {
    const c = new Client(makeHostApp(t.db))
    const page = await c.request('/no/such/page', { headers: { accept: 'text/html' } })
    expect(page.status).toBe(404)
    expect(page.headers.get('content-type')).toContain('text/html')
    const text = await page.text()
    expect(text).toContain('Page not found')
    expect(text).toContain('Test Borough Council')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    const api = await c.request('/no/such/page', { headers: { accept: 'application/json' } })
    expect(api.status).toBe(404)
    expect(await api.json()).toEqual({ error: { code: 'not_found', message: 'No such route' } })
    // signed in, the 404 page keeps the navigation
    await c.signIn('admin')
    const inside = await c.request('/audit/nothing-here', { headers: { accept: 'text/html' } })
    expect(inside.status).toBe(404)
    const body = await inside.text()
    expect(body).toContain('Page not found')
    expect(body).toContain('href="/audit/decisions"')
  })

  it('says on the sign-in page how to get a login', async () => {
    const c = new Client(makeHostApp(t.db))
    const text = await (await c.request('/signin')).text()
    expect(text).toContain('wardguard users add')
    expect(text).toContain('Test Borough Council')
  })

  it('serves the design system stylesheet from this site, and no crown', async () => {
    const c = new Client(makeHostApp(t.db))
    const css = await c.request('/assets/wardguard.css')
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toContain('text/css')
    expect(await css.text()).toContain('.govuk-header')
    const html = await (await c.request('/signin')).text()
    expect(html).toContain('<link rel="stylesheet" href="/assets/wardguard.css">')
    expect(html).not.toContain('govuk-logo')
    expect(html).toContain('govuk-header')
    expect((await c.request('/assets/images/../../index.ts')).status).toBe(404)
  })
})
