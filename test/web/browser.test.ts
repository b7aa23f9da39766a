import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventsForSubject } from '../../src/audit/index.js'
import { addUser } from '../../src/web/index.js'
import { type Harness, startHarness, waitFor } from '../helpers/harness.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SHOTS = 'test-results/screenshots'
const PASSWORD = 'correct horse battery staple'
const ABUSE = 'shut up you stupid f*cking c.u.n.t'
const CRITICISM = 'The council leader is useless and should resign over the bin strike.'

if (!existsSync(CHROMIUM)) {
  console.warn(
    `browser tests skipped: no Chromium at ${CHROMIUM} (apt install chromium, or set CHROMIUM_PATH)`,
  )
}

describe.skipIf(!existsSync(CHROMIUM))('web app in a browser', () => {
  let h: Harness
  let browser: Browser
  let abuseKey = ''
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    h = await startHarness()
    const db = h.service.db
    await addUser(db, { username: 'admin', role: 'admin', password: PASSWORD })
    await addUser(db, {
      username: 'xonly',
      role: 'councillor',
      accountIds: ['cllr-test-x'],
      password: PASSWORD,
    })
    const res = await h.deliver([
      { text: ABUSE, authorId: '9001' },
      { text: CRITICISM },
      { text: 'piss off you tw@t', authorId: '9001' },
      { text: 'Cllr Hartley took a bribe from the developer to approve the flats.' },
    ])
    abuseKey = `facebook.${res.ids[0]}`
    for (const id of res.ids) {
      await waitFor(
        () => eventsForSubject(db, `facebook.${id}`),
        (e) => e.some((x) => x.type === 'decision.made'),
      )
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await h?.stop()
  })

  async function signIn(username: string, password = PASSWORD): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${h.service.url}/audit/decisions`)
    await page.fill('input[name=username]', username)
    await page.fill('input[name=password]', password)
    await page.click('button[type=submit]')
    return page
  }

  it('refuses a wrong password', async () => {
    const page = await signIn('admin', 'wrong password')
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain(
      'Wrong username or password',
    )
    await page.screenshot({ path: `${SHOTS}/signin-refused.png` })
    await page.close()
  })

  it('signs in, filters, opens a comment history and exports CSV', async () => {
    const page = await signIn('admin')
    await page.waitForURL(/\/audit\/decisions/)
    expect(await page.locator('#decisions tbody tr').count()).toBeGreaterThanOrEqual(4)
    await page.screenshot({ path: `${SHOTS}/decisions.png`, fullPage: true })
    await page.selectOption('select[name=outcome]', 'act')
    await page.click('form.filters button[type=submit]')
    await page.waitForURL(/outcome=act/)
    const rows = await page.locator('#decisions tbody').textContent()
    expect(rows).toContain('c.u.n.t')
    expect(rows).not.toContain('bin strike')
    await page.click(`a[href="/audit/comments/${encodeURIComponent(abuseKey)}"]`)
    await page.waitForURL(/\/audit\/comments\//)
    expect(await page.locator('#comment-text').textContent()).toBe(ABUSE)
    const types = await page
      .locator('#history [data-type]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-type')))
    expect(types.slice(-2)).toEqual(['decision.made', 'comment.received'])
    await page.screenshot({ path: `${SHOTS}/comment-history.png`, fullPage: true })
    await page.goto(`${h.service.url}/audit/decisions?outcome=act`)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('text=Download CSV'),
    ])
    const csv = readFileSync((await download.path()) as string, 'utf8')
    expect(csv.split('\r\n')[0]).toMatch(/^event_id,/)
    expect(csv).toContain('c.u.n.t')
    expect(csv).not.toContain('bin strike')
    await page.goto(`${h.service.url}/audit`)
    expect(await page.locator('svg[role=img]').count()).toBeGreaterThanOrEqual(2)
    await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true })
    await page.goto(`${h.service.url}/policy/cllr-test`)
    await page.screenshot({ path: `${SHOTS}/policy.png`, fullPage: true })
    // @NOTE the README's pictures change only when asked: UPDATE_SCREENSHOTS=1 npm test
    if (process.env.UPDATE_SCREENSHOTS) {
      mkdirSync('docs/screenshots', { recursive: true })
      copyFileSync(`${SHOTS}/decisions.png`, 'docs/screenshots/decisions.png')
      copyFileSync(`${SHOTS}/overview.png`, 'docs/screenshots/overview.png')
    }
    await page.close()
  }, 30_000)

  it('keeps a councillor out of another councillor’s account', async () => {
    const page = await signIn('xonly')
    await page.waitForURL(/\/audit\/decisions/)
    expect(await page.locator('#decisions tbody').textContent()).toContain('No decisions match')
    const res = await page.goto(`${h.service.url}/audit/comments/${encodeURIComponent(abuseKey)}`)
    expect(res?.status()).toBe(404)
    await page.close()
  })

  it('refuses a form post without the CSRF token', async () => {
    const page = await signIn('admin')
    await page.waitForURL(/\/audit\/decisions/)
    await page.goto(`${h.service.url}/audit/tokens`)
    await page.evaluate(() => {
      const input = document.querySelector('form[action="/audit/tokens"] input[name=_csrf]')
      input?.remove()
    })
    await page.fill('input[name=label]', 'no token')
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('form[action="/audit/tokens"] button'),
    ])
    expect(res.status()).toBe(403)
    await page.close()
  })
})
