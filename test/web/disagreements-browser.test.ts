import { existsSync, mkdirSync } from 'node:fs'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventsForSubject, exportDecisions } from '../../src/audit/index.js'
import { addUser } from '../../src/web/index.js'
import { type Harness, startHarness, waitFor } from '../helpers/harness.js'
import { decideInSlack } from '../learn/slack-decide.js'
import { type SlackSim, startSlackSim } from '../simulators/slack-sim.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SHOTS = 'test-results/screenshots'
const PASSWORD = 'correct horse battery staple'
const BOT = 'xoxb-learn-bot'
const SIGNING = 'learn-signing-secret'
// @NOTE written for this test: a threat the policy hides and sends to review, and a jibe it lets through
const HIDDEN = 'Someone should put a bullet in that councillor'
const ALLOWED = 'Nobody on this page likes you Sharon, take the hint'

describe.skipIf(!existsSync(CHROMIUM))('where the policy and the moderators disagree', () => {
  let h: Harness
  let slack: SlackSim
  let browser: Browser
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    slack = await startSlackSim({ botToken: BOT })
    h = await startHarness({
      env: { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: slack.url },
    })
    await addUser(h.service.db, { username: 'admin', role: 'admin', password: PASSWORD })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await h?.stop()
    await slack?.close()
  })

  async function signIn(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${h.service.url}/audit/disagreements`)
    await page.fill('input[name=username]', 'admin')
    await page.fill('input[name=password]', PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL(/\/audit\/disagreements/)
    return page
  }

  it('sends an allowed comment to review by hand, and shows both kinds of disagreement', async () => {
    const { ids } = await h.deliver([{ text: HIDDEN }, { text: ALLOWED }])
    const [hidden, allowed] = ids.map((id) => `facebook.${id}`) as [string, string]
    for (const key of [hidden, allowed]) {
      await waitFor(
        () => eventsForSubject(h.service.db, key),
        (e) => e.some((x) => x.type === 'decision.made'),
      )
    }
    const decided = async (key: string) =>
      (await eventsForSubject(h.service.db, key)).find((e) => e.type === 'decision.made')?.meta
        .decision
    expect(await decided(hidden)).toBe('act')
    expect(await decided(allowed)).toBe('allow')

    const page = await signIn()
    expect(await page.locator('#none').count()).toBe(1)
    // a moderator reports the allowed comment from its page in the audit app
    await page.goto(`${h.service.url}/audit/comments/${encodeURIComponent(allowed)}`)
    await page.selectOption('select[name=category]', 'harassment')
    await page.fill('input[name=reason]', 'Picking on a named resident again')
    await page.click('form[action$="/review"] button[type=submit]')
    await page.waitForURL(/sent=1/)
    expect(await page.locator('#sent').count()).toBe(1)
    expect(await page.locator('form[action$="/review"]').count()).toBe(0)
    const requested = (await eventsForSubject(h.service.db, allowed)).find(
      (e) => e.type === 'review.requested',
    )
    expect(requested?.actor).toEqual({ kind: 'moderator', id: 'web/admin' })
    expect(requested?.categories).toEqual(['harassment'])

    // the moderators decide in Slack: keep the hidden one, remove the reported one
    await decideInSlack(
      h,
      slack,
      SIGNING,
      hidden,
      'keep',
      'A line from the film they were discussing.',
    )
    await decideInSlack(h, slack, SIGNING, allowed, 'remove', 'Singling out a resident by name.')

    await page.goto(`${h.service.url}/audit/disagreements`)
    expect(await page.locator('#summary').textContent()).toMatch(
      /2 review decisions\.\s+1 kept a comment the policy had hidden, and 1 removed/,
    )
    const kinds = await page
      .locator('#disagreements tr[data-kind]')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind')).sort())
    expect(kinds).toEqual(['kept_after_hide', 'removed_after_allow'])
    const categories = await page.locator('#by-category').textContent()
    expect(categories).toContain('harassment')
    expect(categories).toContain('threat')
    expect(await page.locator('#disagreements').textContent()).toContain(
      'Singling out a resident by name.',
    )
    await page.screenshot({ path: `${SHOTS}/disagreements.png`, fullPage: true })
    await page.close()

    // and both become training items, the reporter's category on the removed one
    const exported = await exportDecisions(h.service.db)
    expect(exported.map((d) => [d.verdict, d.policyDecision, d.categories]).sort()).toEqual(
      [
        ['keep', 'act', expect.arrayContaining(['threat'])],
        ['remove', 'allow', ['harassment']],
      ].sort(),
    )
  }, 90_000)
})
