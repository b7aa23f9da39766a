import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listEvents, purgeText } from '../../src/audit/index.js'
import { cursorAfter, decisionPage } from '../../src/web/decision-query.js'
import {
  addUser,
  buildEvidence,
  bundleIntact,
  RetentionScheduler,
  verifyAuditTrail,
} from '../../src/web/index.js'
import { openTestDb, type TestDb } from '../audit/backends.js'
import {
  addStandardUsers,
  Client,
  makeApp,
  PASSWORD,
  type Seeded,
  seedComment,
} from './fixtures.js'

const NOW = new Date('2026-06-01T12:00:00.000Z')
const day = (d: number, h = 10) => new Date(Date.UTC(2026, 4, d, h)).toISOString()

describe('web audit views', () => {
  let t: TestDb
  let hidden: Seeded
  let kept: Seeded
  const seeded: Seeded[] = []
  beforeAll(async () => {
    t = await openTestDb('pglite')
    await addStandardUsers(t.db)
    await addUser(t.db, {
      username: 'priya',
      role: 'admin',
      password: PASSWORD,
      displayName: 'Priya Patel',
      slackUserId: 'U0ADMIN1',
    })
    hidden = await seedComment(t.db, {
      accountId: 'cllr-a',
      text: 'you f*cking idiot',
      decision: 'act',
      categories: ['profanity'],
      authorId: 'troll-1',
      at: day(20),
    })
    kept = await seedComment(t.db, {
      accountId: 'cllr-a',
      text: 'Cllr Adams took a bribe',
      decision: 'review',
      categories: ['defamation'],
      authorId: 'troll-1',
      at: day(21),
      resolvedBy: {
        moderator: 'U0ADMIN1',
        verdict: 'keep',
        explanation: 'fair comment on a public record',
        at: day(21, 14),
      },
    })
    for (let i = 0; i < 30; i++) {
      seeded.push(
        await seedComment(t.db, {
          accountId: i % 2 ? 'cllr-a' : 'cllr-b',
          text: `bins were late again ${i}`,
          decision: 'allow',
          at: day(1 + (i % 25), 8),
        }),
      )
    }
  })
  afterAll(() => t?.dispose())

  it('pages through every decision once, newest first, with the store cursor format', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page = await decisionPage(
        t.db,
        {},
        { all: true },
        { cursor, limit: 7, withText: false },
      )
      seen.push(...page.rows.map((r) => r.event.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toHaveLength(33)
    expect(new Set(seen).size).toBe(33)
    const first = (await listEvents(t.db, { type: 'decision.made' }, null, 3)).items
    const after = await listEvents(t.db, { type: 'decision.made' }, cursorAfter(first[1]!), 1)
    expect(after.items[0]?.id).toBe(first[2]?.id)
  })

  it('filters decisions by outcome, human, admin, category, text and date', async () => {
    const c = new Client(makeApp(t.db, () => NOW))
    await c.signIn('auditor')
    const byHuman = await (await c.request('/audit/decisions?by=human&admin=U0ADMIN1')).text()
    expect(byHuman).toContain('fair comment on a public record')
    expect(byHuman).not.toContain('bins were late')
    // moderators by name, outcomes in words, times in UK local time (BST in May)
    expect(byHuman).toContain('<option value="U0ADMIN1" selected>Priya Patel</option>')
    expect(byHuman).toContain('Kept by Priya Patel')
    expect(byHuman).toContain('21 May 2026, 15:00')
    // a person's decision is found by the category of the comment it was about
    const humanCat = await (await c.request('/audit/decisions?by=human&category=defamation')).text()
    expect(humanCat).toContain('Kept by Priya Patel')
    const plain = await (await c.request('/audit/decisions?outcome=act')).text()
    expect(plain).toContain('Hidden automatically')
    expect(plain).toContain('It uses swearing or obscene words')
    expect(plain).not.toContain('profanity.words')
    const act = await (await c.request('/audit/decisions?outcome=act')).text()
    expect(act).toContain('you f*cking idiot')
    expect(act).not.toContain('bribe')
    const cat = await (await c.request('/audit/decisions?category=defamation')).text()
    expect(cat).toContain('Cllr Adams took a bribe')
    const text = await (await c.request('/audit/decisions?q=late+again+7')).text()
    expect(text).toContain('bins were late again 7')
    expect(text).not.toContain('bins were late again 8<')
    const dated = await (await c.request('/audit/decisions?from=2026-05-20&to=2026-05-20')).text()
    expect(dated).toContain('you f*cking idiot')
    expect(dated).not.toContain('Cllr Adams took a bribe')
    expect((await c.request('/audit/decisions?from=yesterday')).status).toBe(400)
  })

  it('exports CSV streamed in chunks with the filters applied, and formulas defused', async () => {
    await seedComment(t.db, {
      accountId: 'cllr-b',
      text: '=HYPERLINK("http://evil")',
      decision: 'allow',
      at: day(22),
    })
    const c = new Client(makeApp(t.db, () => NOW))
    await c.signIn('admin')
    const res = await c.request('/audit/export.csv?account=cllr-b')
    expect(res.headers.get('content-type')).toContain('text/csv')
    const reader = res.body!.getReader()
    let chunks = 0
    let body = ''
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks++
      body += new TextDecoder().decode(value)
    }
    const lines = body.trim().split('\r\n')
    expect(lines[0]).toMatch(/^event_id,created_at,type,account_id/)
    expect(lines).toHaveLength(1 + 16)
    expect(lines.slice(1).every((l) => l.includes(',cllr-b,'))).toBe(true)
    expect(body).toContain(`"'=HYPERLINK(""http://evil"")"`)
    expect(chunks).toBeGreaterThan(1)
  })

  it('shows a comment’s history in order, and says when retention purged its text', async () => {
    const c = new Client(makeApp(t.db, () => NOW))
    await c.signIn('auditor')
    const page = await (await c.request(`/audit/comments/${kept.subjectKey}`)).text()
    // a timeline, newest first, in words; the record's own names only under "Technical details"
    expect(page.indexOf('data-type="review.resolved"')).toBeLessThan(
      page.indexOf('data-type="decision.made"'),
    )
    expect(page.indexOf('data-type="decision.made"')).toBeLessThan(
      page.indexOf('data-type="comment.received"'),
    )
    expect(page).toContain('Sent for review')
    expect(page).toContain('Kept by Priya Patel')
    expect(page).toContain('fair comment on a public record')
    expect(page).toContain('slack/U0ADMIN1')
    expect(page).toContain('Cllr Adams took a bribe')
    expect(page).toContain('It makes an allegation against a named person')
    expect(page).toMatch(/<summary[^>]*><span[^>]*>Rules that fired/)
    const result = await purgeText(
      t.db,
      { allowedDays: 1, removedDays: 1 },
      new Date('2027-01-01T00:00:00Z'),
    )
    expect(result.purged).toBeGreaterThan(0)
    const after = await (await c.request(`/audit/comments/${kept.subjectKey}`)).text()
    expect(after).not.toContain('Cllr Adams took a bribe')
    expect(after).toContain('Text purged by retention on 2027-01-01')
    expect(after).toContain('fair comment on a public record')
  })

  it('builds an evidence bundle whose hashes detect a change', async () => {
    const fresh = await seedComment(t.db, {
      accountId: 'cllr-a',
      text: 'I know where you live',
      decision: 'act',
      categories: ['threat'],
      authorId: 'troll-2',
      at: day(25),
    })
    const bundle = await buildEvidence(
      t.db,
      { account: 'cllr-a', author: 'troll-2' },
      { generatedBy: 'test' },
    )
    expect(bundle.comments.map((x) => x.subjectKey)).toEqual([fresh.subjectKey])
    expect(bundle.comments[0]?.text).toBe('I know where you live')
    expect(bundle.comments[0]?.textMatchesRecord).toBe(true)
    expect(bundle.chain.ok).toBe(true)
    expect(bundleIntact(JSON.parse(JSON.stringify(bundle)))).toBe(true)
    const edited = JSON.parse(JSON.stringify(bundle))
    edited.comments[0].text = 'something milder'
    expect(bundleIntact(edited)).toBe(false)
  })

  it('serves the public policy page without sign-in, in plain language', async () => {
    const res = await makeApp(t.db).request('http://localhost/policy/cllr-a')
    expect(res.status).toBe(200)
    const page = await res.text()
    expect(page).toContain('Disagreement and criticism stay up')
    expect(page).toContain('threats of violence or harm')
    expect(page).toContain('ann.adams@council.example')
    expect((await makeApp(t.db).request('http://localhost/policy/nobody')).status).toBe(404)
  })

  it('records each scheduled retention run, purging text and keeping events', async () => {
    const s = await seedComment(t.db, {
      accountId: 'cllr-b',
      text: 'nice park',
      decision: 'allow',
      at: day(1),
    })
    const scheduler = new RetentionScheduler({
      db: t.db,
      rules: { allowedDays: 30, removedDays: 365 },
      now: () => new Date('2026-07-15T00:00:00Z'),
    })
    const run = await scheduler.runNow()
    expect(run?.purged).toBeGreaterThan(0)
    const again = await scheduler.runNow()
    expect(again?.purged).toBe(0)
    const runs = await listEvents(
      t.db,
      {
        type: ['retention.purged', 'note'],
        subjectKey: 'system.retention',
        from: '2026-07-15T00:00:00.000Z',
        to: '2026-07-16T00:00:00.000Z',
      },
      null,
      10,
    )
    expect(runs.items.map((e) => e.type)).toEqual(['note', 'retention.purged'])
    const c = new Client(makeApp(t.db, () => NOW))
    await c.signIn('admin')
    const history = await (await c.request(`/audit/comments/${s.subjectKey}`)).text()
    expect(history).toContain('Text purged by retention')
    expect(history).toContain('decision.made')
  })

  it('verifies the chain and names the first event that was changed', async () => {
    expect((await verifyAuditTrail(t.db)).ok).toBe(true)
    const [target] = (
      await listEvents(t.db, { subjectKey: hidden.subjectKey, type: 'decision.made' })
    ).items
    await t.db.query('alter table moderation_event disable trigger moderation_event_append_only')
    await t.db.query(`update moderation_event set reason = 'allow: nothing to see' where id = $1`, [
      target!.id,
    ])
    const result = await verifyAuditTrail(t.db)
    expect(result.ok).toBe(false)
    expect(result.result.firstBroken).toMatchObject({ id: target!.id, reason: 'hash' })
    expect(result.report).toContain(`BROKEN at event ${target!.id}`)
  })
})
