import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventsForSubject, getStatus } from '../../src/audit/index.js'
import { actionIdFor } from '../../src/connectors/slack/blocks.js'
import { verdictOutcome } from '../../src/connectors/slack/format.js'
import { addUser } from '../../src/web/index.js'
import {
  type Harness,
  MODERATOR,
  REVIEW_CHANNEL,
  startHarness,
  waitFor,
} from '../helpers/harness.js'
import { type SlackSim, startSlackSim } from '../simulators/slack-sim.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SHOTS = 'test-results/screenshots'
const PASSWORD = 'correct horse battery staple'
const AXE: string = createRequire(import.meta.url)('axe-core').source
const WIDTHS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1366, height: 900 },
] as const

const COMMENTS = [
  { text: 'shut up you stupid f*cking c.u.n.t', authorId: '9001', author: 'Terry Troll' },
  { text: 'The council leader is useless and should resign over the bin strike.' },
  { text: 'piss off you tw@t', authorId: '9001', author: 'Terry Troll' },
  {
    text: 'Cllr Hartley took a bribe from the developer to approve the flats.',
    author: 'Rita Rumour',
  },
  {
    text: 'Cllr Hartley is stealing from the ward budget, everyone knows it.',
    author: 'Rita Rumour',
  },
  { text: 'The potholes on Mill Lane are a disgrace, when will they be fixed?' },
  { text: 'Why are the bins on Elm Street still not collected?' },
]

if (!existsSync(CHROMIUM)) console.warn(`desk browser tests skipped: no Chromium at ${CHROMIUM}`)

/**
 * The moderation desk as a comms officer uses it, at a phone's width and a laptop's: every page
 * fits the screen and passes axe-core, decisions go through the same path as Slack's.
 */
describe.skipIf(!existsSync(CHROMIUM))('the moderation desk in a browser', () => {
  let h: Harness
  let slack: SlackSim
  let browser: Browser
  const keys: string[] = []
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    slack = await startSlackSim({ botToken: 'xoxb-desk-browser' })
    h = await startHarness({
      env: {
        SLACK_BOT_TOKEN: 'xoxb-desk-browser',
        SLACK_SIGNING_SECRET: 'desk-browser-secret',
        SLACK_API_URL: slack.url,
      },
    })
    const db = h.service.db
    await addUser(db, {
      username: 'priya',
      role: 'admin',
      password: PASSWORD,
      displayName: 'Priya Patel',
      slackUserId: MODERATOR,
    })
    const res = await h.deliver(COMMENTS)
    for (const id of res.ids) {
      keys.push(`facebook.${id}`)
      await waitFor(
        () => eventsForSubject(db, `facebook.${id}`),
        (e) => e.some((x) => x.type === 'decision.made'),
        60_000,
      )
    }
    // the review items reach Slack before anyone decides
    await waitFor(
      async () => slack.messages.length,
      (n) => n >= 2,
      60_000,
    )
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await h?.stop()
    await slack?.close()
  })

  async function signedIn(width: number, height: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } })
    await page.goto(`${h.service.url}/signin`)
    await page.fill('#username', 'priya')
    await page.fill('#password', PASSWORD)
    await Promise.all([page.waitForURL(/\/audit/), page.click('button[type=submit]')])
    return page
  }

  async function checkPage(page: Page, name: string, width: number) {
    await page.screenshot({ path: `${SHOTS}/desk-${name}-${width}.png`, fullPage: true })
    const wide = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
      // what sticks out, to say so when it fails
      culprits: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(-3)
        .map((e) => `${e.tagName}.${e.className}`),
    }))
    expect(
      wide.scroll,
      `${name} at ${width} px is ${wide.scroll} px wide: ${wide.culprits.join(', ')}`,
    ).toBeLessThanOrEqual(wide.inner)
    await page.evaluate(AXE)
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (
              d: Document,
              o: unknown,
            ) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>
          }
        }
      ).axe
      const r = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa'] })
      return r.violations.map(
        (v) =>
          `${v.id}: ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      )
    })
    expect(violations.join('\n'), `${name} at ${width} px`).toBe('')
  }

  it('fits every page on a 390 px phone and a 1366 px laptop, and passes axe-core', async () => {
    for (const w of WIDTHS) {
      const anon = await browser.newPage({ viewport: { width: w.width, height: w.height } })
      await anon.goto(`${h.service.url}/signin`)
      await checkPage(anon, 'signin', w.width)
      const missing = await anon.goto(`${h.service.url}/no/such/page`)
      expect(missing?.status()).toBe(404)
      await checkPage(anon, 'not-found', w.width)
      await anon.close()
      const page = await signedIn(w.width, w.height)
      const pages: [string, string][] = [
        ['overview', '/audit'],
        ['queue', '/audit/queue'],
        ['decisions', '/audit/decisions'],
        ['comment', `/audit/comments/${encodeURIComponent(keys[0] as string)}`],
        ['author', '/audit/authors/facebook/9001'],
        ['account', '/audit/account/cllr-test'],
        ['accounts', '/audit/accounts'],
        ['evidence', '/audit/evidence'],
        ['settings', '/audit/settings'],
        ['tokens', '/audit/tokens'],
        ['policy', '/policy/cllr-test'],
      ]
      for (const [name, path] of pages) {
        const res = await page.goto(`${h.service.url}${path}`)
        expect(res?.status(), path).toBe(200)
        await checkPage(page, name, w.width)
      }
      await page.close()
    }
    if (process.env.UPDATE_SCREENSHOTS) {
      mkdirSync('docs/screenshots', { recursive: true })
      for (const name of ['overview', 'queue', 'decisions', 'comment', 'author', 'accounts'])
        for (const w of WIDTHS)
          copyFileSync(
            `${SHOTS}/desk-${name}-${w.width}.png`,
            `docs/screenshots/desk-${name}-${w.width}.png`,
          )
    }
  }, 300_000)

  it('decides a queue item on the web using only the keyboard, and Slack’s message shows it', async () => {
    const target = keys[3] as string
    const message = slack.messages.find((m) => JSON.stringify(m.blocks).includes(target))
    expect(message).toBeDefined()
    const page = await signedIn(1366, 900)
    await page.goto(`${h.service.url}/audit/queue`)
    // Tab to this item's Remove button
    const wanted = `tr[data-subject="${target}"] button[value="remove"]`
    let found = false
    for (let i = 0; i < 200 && !found; i++) {
      await page.keyboard.press('Tab')
      found = await page.evaluate(
        (sel) => document.activeElement === document.querySelector(sel),
        wanted,
      )
    }
    expect(found).toBe(true)
    await Promise.all([page.waitForURL(/\/audit\/act/), page.keyboard.press('Enter')])
    // Remove needs a reason: the explanation box has the focus, as Slack's modal would
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('explanation')
    await page.keyboard.type('An unproven allegation of bribery against a named councillor.')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Confirm')
    await Promise.all([page.waitForURL(/\/audit\/queue\?/), page.keyboard.press('Enter')])
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      '1 comment removed',
    )
    await checkPage(page, 'queue-after', 1366)
    const resolved = await waitFor(
      () => eventsForSubject(h.service.db, target),
      (e) => e.some((x) => x.type === 'review.resolved'),
    )
    expect(resolved.find((e) => e.type === 'review.resolved')?.tool?.name).toBe('web')
    const updated = await waitFor(
      async () => slack.message(REVIEW_CHANNEL, message?.ts ?? ''),
      (m) => (m?.updates ?? 0) > 0,
    )
    expect(JSON.stringify(updated?.blocks)).toContain(
      verdictOutcome('remove', { platform: 'facebook', hidden: false }),
    )
    expect(JSON.stringify(updated?.blocks)).not.toContain(actionIdFor('keep'))
    await page.goto(`${h.service.url}/audit/comments/${encodeURIComponent(target)}`)
    expect(await page.locator('#history').textContent()).toContain('Removed by Priya Patel')
    await page.close()
  }, 120_000)

  it('hides several comments with one explanation from the decisions page, on a phone', async () => {
    const chosen = [keys[5] as string, keys[6] as string]
    const page = await signedIn(390, 844)
    await page.goto(`${h.service.url}/audit/decisions?by=policy`)
    for (const k of chosen) await page.check(`tr[data-subject="${k}"] input[name=subject]`)
    await page.click('#bulk-actions summary')
    await page.fill('#bulk-explanation', 'Hidden while the thread is checked for a pile-on.')
    await Promise.all([page.waitForURL(/done=2/), page.click('#bulk button[value="hide"]')])
    await checkPage(page, 'decisions-after-bulk', 390)
    for (const k of chosen) {
      const s = await waitFor(
        () => getStatus(h.service.db, k),
        (x) => x?.visibility === 'hidden',
        60_000,
      )
      expect(s?.visibility).toBe('hidden')
      const r = (await eventsForSubject(h.service.db, k)).find((e) => e.type === 'review.resolved')
      expect(r?.reason).toBe('Hidden while the thread is checked for a pile-on.')
    }
    await page.close()
  }, 120_000)

  it('opens an author’s page, their evidence bundle from the form, and a date range', async () => {
    const page = await signedIn(1366, 900)
    await page.goto(`${h.service.url}/audit/decisions`)
    await Promise.all([
      page.waitForURL(/\/audit\/authors\/facebook\/9001/),
      page.click('a[href="/audit/authors/facebook/9001"] >> nth=0'),
    ])
    expect(await page.locator('h1').textContent()).toBe('Terry Troll')
    expect(await page.locator('#author-comments tbody tr').count()).toBe(2)
    expect(await page.locator('#strikes').textContent()).toMatch(/^2 /)
    // the evidence form, reached from the navigation
    await page.click('.govuk-service-navigation a[href="/audit/evidence"]')
    await page.selectOption('#f-account', 'cllr-test')
    await page.fill('#f-author', '9001')
    await Promise.all([
      page.waitForURL(/author=9001/),
      page.click('#evidence-form button:not([formaction])'),
    ])
    expect(await page.locator('body').textContent()).toContain('piss off you tw@t')
    // the date-range picker: today only, this account
    await page.goto(`${h.service.url}/audit`)
    const today = await page.inputValue('#f-to')
    await page.fill('#f-from', today)
    await page.selectOption('#picker #f-account', 'cllr-test')
    await Promise.all([page.waitForURL(/from=/), page.click('#picker button')])
    const numbers = await page.locator('#headline').textContent()
    expect(numbers).toContain(`${COMMENTS.length}Comments received`)
    // a bar opens the decisions it counts
    await Promise.all([
      page.waitForURL(/\/audit\/decisions\?.*category=/),
      page.click('#by-category svg a >> nth=0'),
    ])
    expect(await page.locator('#decisions tbody tr').count()).toBeGreaterThan(0)
    await page.close()
  }, 120_000)
})
