import { existsSync, mkdirSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AuditEvent,
  eventsForSubject,
  listEvents,
  shadowChanges,
  startShadowRun,
} from '../../src/audit/index.js'
import { loadPolicy } from '../../src/moderation/index.js'
import { addUser } from '../../src/web/index.js'
import { type Harness, startHarness, waitFor } from '../helpers/harness.js'
import { tempDir } from '../helpers/tmp.js'
import { candidateYaml } from '../learn/candidate.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SHOTS = 'test-results/screenshots'
const PASSWORD = 'correct horse battery staple'
// @NOTE written for this test: insults the shipped policy sends to review and the candidate hides
const INSULT = 'You are a complete moron, Dave'
const LATER = 'Get lost you absolute cretin'

describe('shadow mode', () => {
  let h: Harness
  let browser: Browser | null = null
  const tmp = tempDir('wardguard-shadow-')
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    h = await startHarness()
    await addUser(h.service.db, { username: 'admin', role: 'admin', password: PASSWORD })
    if (existsSync(CHROMIUM)) {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    }
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await h?.stop()
    tmp.cleanup()
  })

  const hideRequests = (id: string) =>
    h.graph.requests.filter(
      (r) =>
        r.method === 'POST' && r.path.endsWith(`/${id}`) && String(r.body.is_hidden) === 'true',
    )
  async function decided(id: string): Promise<AuditEvent[]> {
    return waitFor(
      () => eventsForSubject(h.service.db, `facebook.${id}`),
      (e) => e.some((x) => x.type === 'decision.made'),
    )
  }

  it('decides with both engines, acts only with the active one, and switches as one recorded action', async () => {
    const db = h.service.db
    const policyPath = candidateYaml(tmp.dir)
    const candidate = loadPolicy(policyPath)
    const active = h.service.pipeline.accounts.byId('cllr-test')?.policy
    if (!active) throw new Error('no cllr-test account')
    const run = await startShadowRun(db, {
      accountId: 'cllr-test',
      policyPath,
      modelPath: null,
      candidateVersion: candidate.version,
      activeVersion: active.version,
      startedBy: 'cli/test',
      days: 7,
    })
    await h.service.pipeline.accounts.reload()
    expect(h.service.pipeline.accounts.byId('cllr-test')?.shadow?.runId).toBe(run.id)

    const [id] = (await h.deliver([{ text: INSULT }])).ids as [string]
    const events = await decided(id)
    // the active engine's decision is the one recorded and carried out: review, no hide
    expect(events.find((e) => e.type === 'decision.made')?.meta.decision).toBe('review')
    const changes = await waitFor(
      () => shadowChanges(db, run.id),
      (rows) => rows.length > 0,
    )
    expect(changes).toMatchObject([
      { subjectKey: `facebook.${id}`, activeAction: 'review', candidateAction: 'hide' },
    ])
    await new Promise((r) => setTimeout(r, 500))
    const after = await eventsForSubject(db, `facebook.${id}`)
    expect(after.filter((e) => e.type === 'action.requested')).toEqual([])
    expect(hideRequests(id)).toEqual([])
    expect(h.graph.state.comment(id)?.isHidden).toBe(false)

    if (!browser) return
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${h.service.url}/audit/shadow`)
    await page.fill('input[name=username]', 'admin')
    await page.fill('input[name=password]', PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL(/\/audit\/shadow/)
    const section = page.locator(`#run-${run.id}`)
    expect(await section.getAttribute('data-state')).toBe('running')
    // comments 1, decided differently 1, hides gained 1, hides lost 0, reviews gained 0, lost 1
    expect(await section.locator('tr.total th').allTextContents()).toEqual([
      'All days',
      '1',
      '1',
      '1',
      '0',
      '0',
      '1',
    ])
    expect(await section.locator('table.changes').textContent()).toContain('hide harassment')
    await page.screenshot({ path: `${SHOTS}/shadow.png`, fullPage: true })
    await section.locator('button[type=submit]').click()
    await page.waitForURL(/switched=/)
    expect(await page.locator('#switched').count()).toBe(1)
    expect(await page.locator(`#run-${run.id} .switched-by`).textContent()).toContain('web/admin')

    const { items } = await listEvents(db, { type: 'shadow.switched' }, null, 5)
    expect(items).toHaveLength(1)
    expect(items[0]?.actor).toEqual({ kind: 'moderator', id: 'web/admin' })
    expect(items[0]?.meta).toMatchObject({
      from: active.version,
      to: candidate.version,
      diffSeen: { compared: 1, changed: 1, hidesGained: 1, reviewsLost: 1 },
    })

    // every part of the service now runs the candidate: the pipeline, and the public policy page
    await waitFor(
      async () => h.service.pipeline.accounts.byId('cllr-test')?.policy.version,
      (v) => v === candidate.version,
    )
    expect(h.service.pipeline.accounts.byId('cllr-test')?.shadow).toBeUndefined()
    await page.goto(`${h.service.url}/policy/cllr-test`)
    expect(await page.textContent('main')).toContain(`Policy version ${candidate.version}`)
    await page.close()
    const [next] = (await h.deliver([{ text: LATER }])).ids as [string]
    expect((await decided(next)).find((e) => e.type === 'decision.made')?.meta.decision).toBe('act')
    await waitFor(async () => h.graph.state.comment(next)?.isHidden, Boolean)
    expect(h.graph.state.comment(next)?.isHidden).toBe(true)
  }, 90_000)
})
