import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storedComments } from '../../src/audit/index.js'
import { formatDiff, perAccount, writeDiffCsv } from '../../src/cli/commands/policy-diff.js'
import type { Account } from '../../src/config/accounts.js'
import { loadPolicy, moderate } from '../../src/moderation/index.js'
import { diffPolicies } from '../../src/moderation/policy-diff.js'
import { openTestDb, type TestDb } from '../audit/backends.js'
import { tempDir } from '../helpers/tmp.js'
import { candidateYaml } from './candidate.js'
import { seedDecided } from './seed.js'

// @NOTE written for this test: criticism, insults, swearing, allegations, everyday comments
const HISTORY = [
  'The council leader is useless and should resign over the bin strike.',
  'Cllr Jones is a liar and a disgrace to this ward',
  'You are a pathetic little man, Cllr Jones',
  'Bloody potholes on Mill Road again, lost a hubcap this morning.',
  'What a load of shite this budget is',
  'Cllr Patel has been taking backhanders from the developers for years.',
  'Great turnout at the fun run, well done to the volunteers!',
  'Absolute clown show at the planning meeting last night',
  'shut up you stupid f*cking idiot',
  'Thanks for sorting the streetlight so quickly',
  'Cllr Jones is an idiot and should be sacked',
  'The new cycle lane is a waste of money and the councillor knows it',
]

describe('wardguard policy diff', () => {
  let t: TestDb
  const tmp = tempDir('wardguard-diff-')
  beforeAll(async () => {
    t = await openTestDb('pglite')
  })
  afterAll(async () => {
    await t?.dispose()
    tmp.cleanup()
  })

  it('reports exactly what the two engines decide on the stored history', async () => {
    const now = Date.now()
    for (const [i, text] of HISTORY.entries()) {
      await seedDecided(t.db, {
        accountId: i % 4 === 0 ? 'cllr-b' : 'cllr-a',
        text,
        decision: 'allow',
        at: new Date(now - (i + 1) * 3_600_000).toISOString(),
      })
    }
    // older than --since: not replayed
    await seedDecided(t.db, {
      text: 'You are a pathetic little man',
      decision: 'allow',
      at: new Date(now - 40 * 86_400_000).toISOString(),
    })
    const current = loadPolicy()
    const candidate = loadPolicy(candidateYaml(tmp.dir))
    expect(candidate.settings.categories.harassment.action).toBe('hide')
    // cllr-b keeps mild swearing allowed on its own account, whatever the base says
    const accounts = [{ id: 'cllr-b', policy: { mildProfanity: 'allow' } }] as unknown as Account[]
    const engines = {
      current: perAccount(current, accounts),
      candidate: perAccount(candidate, accounts),
    }
    const since = new Date(now - 30 * 86_400_000).toISOString()
    const report = await diffPolicies(storedComments(t.db, { since }), engines)

    // the same comments decided directly by each engine
    const expected = HISTORY.map((text, i) => {
      const accountId = i % 4 === 0 ? 'cllr-b' : 'cllr-a'
      const input = {
        text,
        platform: 'facebook' as const,
        accountId,
        at: new Date(now - (i + 1) * 3_600_000).toISOString(),
      }
      const before = moderate(input, engines.current(accountId))
      const after = moderate(input, engines.candidate(accountId))
      return { text, accountId, before, after }
    })
    const changed = expected.filter(
      (e) =>
        e.before.action !== e.after.action ||
        e.before.categories.join() !== e.after.categories.join(),
    )
    expect(report.compared).toBe(HISTORY.length)
    expect(changed.length).toBeGreaterThanOrEqual(2)
    expect(report.changed).toBe(changed.length)
    const count = (f: (e: (typeof expected)[number]) => boolean) => expected.filter(f).length
    expect(report.hidesGained).toBe(
      count((e) => e.before.action !== 'hide' && e.after.action === 'hide'),
    )
    expect(report.hidesLost).toBe(
      count((e) => e.before.action === 'hide' && e.after.action !== 'hide'),
    )
    expect(report.reviewsGained).toBe(
      count((e) => e.before.action !== 'review' && e.after.action === 'review'),
    )
    expect(report.reviewsLost).toBe(
      count((e) => e.before.action === 'review' && e.after.action !== 'review'),
    )
    expect(report.hidesGained).toBeGreaterThan(0)
    expect(report.reviewsLost).toBeGreaterThan(0)
    for (const id of ['cllr-a', 'cllr-b']) {
      expect(report.byAccount[id]?.changed).toBe(changed.filter((e) => e.accountId === id).length)
    }
    expect(report.changedItems.map((i) => i.text).sort()).toEqual(changed.map((e) => e.text).sort())
    for (const item of report.changedItems) {
      const e = expected.find((x) => x.text === item.text)
      expect([item.before, item.after]).toEqual([e?.before.action, e?.after.action])
    }
    const harassment = expected.filter(
      (e) =>
        e.before.categories.includes('harassment') || e.after.categories.includes('harassment'),
    )
    expect(report.byCategory.harassment?.compared).toBe(harassment.length)
    expect(report.byCategory.harassment?.hidesGained).toBe(
      harassment.filter((e) => e.before.action !== 'hide' && e.after.action === 'hide').length,
    )
    expect(report.criticismNewlyFlagged).toBe(report.changedItems.filter((i) => i.criticism).length)

    const csv = path.join(tmp.dir, 'changed.csv')
    writeDiffCsv(csv, report)
    expect(statSync(csv).mode & 0o777).toBe(0o600)
    const rows = parse(readFileSync(csv, 'utf8'), { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => r.text).sort()).toEqual(changed.map((e) => e.text).sort())
    const text = formatDiff(report, {
      current: current.version,
      candidate: candidate.version,
      since,
      csv,
    })
    if (process.env.SHOW_DIFF) console.log(text)
    expect(text).toContain(`${HISTORY.length} stored comments`)
    expect(text).toContain(`hides gained: ${report.hidesGained}`)
    expect(text).toMatch(
      new RegExp(
        `^harassment\\s+${harassment.length}\\s+\\d+\\s+\\+${report.byCategory.harassment?.hidesGained}/`,
        'm',
      ),
    )
  })
})
