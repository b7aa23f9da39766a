import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { highlighted, reasonSentences } from '../../src/web/plain.js'
import { openTestDb, type TestDb } from '../audit/backends.js'
import { addStandardUsers, Client, makeApp, type Seeded, seedComment } from './fixtures.js'

const NOW = new Date('2026-06-10T12:00:00.000Z')
const at = (d: number, h = 10) => new Date(Date.UTC(2026, 5, d, h)).toISOString()

/** The overview, evidence form, author and account pages, read as a comms officer would. */
describe('desk pages', () => {
  let t: TestDb
  let abuse: Seeded
  beforeAll(async () => {
    t = await openTestDb('pglite')
    await addStandardUsers(t.db)
    abuse = await seedComment(t.db, {
      accountId: 'cllr-a',
      text: 'you f*cking idiot',
      decision: 'act',
      categories: ['profanity'],
      authorId: 'troll-1',
      at: at(9),
    })
    await seedComment(t.db, {
      accountId: 'cllr-a',
      text: 'shut up you moron',
      decision: 'review',
      categories: ['harassment'],
      authorId: 'troll-1',
      at: at(10, 9),
    })
    await seedComment(t.db, {
      accountId: 'cllr-b',
      text: 'the bins were late again',
      decision: 'allow',
      at: at(10, 8),
    })
  })
  afterAll(() => t?.dispose())

  it('marks the matched words in a comment, escaping everything else', () => {
    expect(String(highlighted('<b>Shut UP</b> you, shut up', ['shut up', 'nothing']))).toBe(
      '&lt;b&gt;<mark class="wg-match">Shut UP</mark>&lt;/b&gt; you, <mark class="wg-match">shut up</mark>',
    )
    expect(
      reasonSentences([{ rule: 'p.1', category: 'profanity', match: 'f*ck', explanation: '' }]),
    ).toEqual(['It uses swearing or obscene words: “f*ck”.'])
  })

  it('shows headline numbers for a date range and account, each one a link, and dated bars', async () => {
    const c = new Client(makeApp(t.db, () => NOW))
    await c.signIn('admin')
    const all = await (await c.request('/audit')).text()
    expect(all).toContain('12 May 2026 to 10 June 2026')
    expect(all).toMatch(
      /<span class="wg-headline__number">3<\/span><span class="wg-headline__label">Comments received/,
    )
    expect(all).toContain(
      'href="/audit/decisions?from=2026-05-12&amp;to=2026-06-10&amp;outcome=act"',
    )
    // bars are links to the day's decisions, and the last day is labelled
    expect(all).toMatch(
      /<a href="\/audit\/decisions\?from=2026-06-10&(amp;)?to=2026-06-10&(amp;)?category=harassment"/,
    )
    expect(all).toContain('10 Jun</text>')
    expect(all).not.toContain('<style')
    // a repeat offender's full label, linking to their page
    expect(all).toContain('A Resident on Cllr Adams')
    expect(all).toContain('href="/audit/authors/facebook/troll-1"')
    const oneDay = await (
      await c.request('/audit?from=2026-06-10&to=2026-06-10&account=cllr-b')
    ).text()
    expect(oneDay).toMatch(
      /<span class="wg-headline__number">1<\/span><span class="wg-headline__label">Comments received/,
    )
    expect(oneDay).toContain('10 June 2026 to 10 June 2026, Cllr Brown')
    const backwards = await c.request('/audit?from=2026-06-10&to=2026-06-01')
    expect(await backwards.text()).toContain('The start date must be before the end date.')
  })

  it('keeps a councillor’s overview to their own accounts, whatever the picker says', async () => {
    const c = new Client(makeApp(t.db, () => NOW))
    await c.signIn('brown')
    const page = await (await c.request('/audit?account=cllr-a')).text()
    expect(page).toMatch(
      /<span class="wg-headline__number">1<\/span><span class="wg-headline__label">Comments received/,
    )
    expect(page).not.toContain('troll-1')
  })

  it('offers evidence as a form, not command-line syntax', async () => {
    const c = new Client(makeApp(t.db, () => NOW))
    await c.signIn('auditor')
    const form = await c.request('/audit/evidence')
    expect(form.status).toBe(200)
    const text = await form.text()
    expect(text).toContain('id="evidence-form"')
    expect(text).not.toContain('--comment')
    const wrong = await c.request('/audit/evidence?author=troll-1')
    expect(wrong.status).toBe(400)
    expect(await wrong.text()).toContain('choose an account and give an author id')
    const bundle = await c.request('/audit/evidence?account=cllr-a&author=troll-1')
    expect(bundle.status).toBe(200)
    expect(await bundle.text()).toContain('you f*cking idiot')
    const nav = await (await c.request('/audit')).text()
    expect(nav).toMatch(
      /<a class="govuk-service-navigation__link" href="\/audit\/evidence">Evidence<\/a>/,
    )
  })

  it('shows an author’s comments across the accounts, and an account’s numbers and waiting items', async () => {
    const c = new Client(makeApp(t.db, () => NOW))
    await c.signIn('admin')
    const author = await c.request('/audit/authors/facebook/troll-1')
    expect(author.status).toBe(200)
    const page = await author.text()
    expect(page).toContain('you f*cking idiot')
    expect(page).toContain('shut up you moron')
    expect(page).toMatch(/id="strikes">2 /)
    expect(page).toContain(`/audit/evidence?account=cllr-a&amp;author=troll-1`)
    expect((await c.request('/audit/authors/facebook/nobody')).status).toBe(404)
    const account = await (await c.request('/audit/account/cllr-a')).text()
    expect(account).toContain('Waiting for review (1)')
    expect(account).toContain('shut up you moron')
    expect(account).toContain('href="/audit/decisions?account=cllr-a&amp;outcome=act"')
    const councillor = new Client(makeApp(t.db, () => NOW))
    await councillor.signIn('brown')
    expect((await councillor.request('/audit/account/cllr-a')).status).toBe(404)
    expect((await councillor.request('/audit/authors/facebook/troll-1')).status).toBe(404)
    const comment = await (await c.request(`/audit/comments/${abuse.subjectKey}`)).text()
    expect(comment).toContain('Hidden automatically')
    expect(comment).toContain('It uses swearing or obscene words')
  })
})
