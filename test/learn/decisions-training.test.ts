import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportDecisions, purgeText } from '../../src/audit/index.js'
import { decisionItems } from '../../src/moderation/decision-items.js'
import { loadPolicy, moderate, type Policy } from '../../src/moderation/index.js'
import { withModel } from '../../src/moderation/policy.js'
import { councilExamples } from '../../training/council.js'
import { trainModel } from '../../training/run.js'
import { trainWithDecisions } from '../../training/with-decisions.js'
import { openTestDb, type TestDb } from '../audit/backends.js'
import { tempDir } from '../helpers/tmp.js'
import { seedDecided } from './seed.js'

const DAY = 86_400_000
const now = Date.now()
const daysAgo = (d: number) => new Date(now - d * DAY).toISOString()

describe('moderators’ decisions as training items', () => {
  let t: TestDb
  beforeAll(async () => {
    t = await openTestDb('pglite')
  })
  afterAll(() => t?.dispose())

  it('masks names, emails, phone numbers and other numbers, and leaves out purged text', async () => {
    const db = t.db
    await seedDecided(db, {
      text: 'Tracey Lowther at 14 Elm Close dumps her rubbish, ring 07700 900111 or tracey.l@gmail.com',
      authorName: 'Gary Pilkington',
      decision: 'review',
      categories: ['personal_data'],
      verdict: 'remove',
      at: daysAgo(2),
    })
    await seedDecided(db, {
      text: 'Cllr Okafor is out of touch, says Gary Pilkington of @garyp',
      authorName: 'Gary Pilkington',
      decision: 'act',
      categories: ['harassment'],
      verdict: 'keep',
      at: daysAgo(2),
    })
    await seedDecided(db, {
      text: 'You are vermin and everyone on this estate knows it',
      decision: 'allow',
      reported: { by: 'admin', categories: ['harassment'] },
      verdict: 'remove',
      at: daysAgo(1),
    })
    // kept up 60 days ago: retention (30 days for comments left up) purges its text
    await seedDecided(db, {
      text: 'An old comment that retention will purge',
      decision: 'act',
      categories: ['profanity'],
      verdict: 'keep',
      at: daysAgo(60),
    })
    // decided by the policy alone: not a moderator's decision
    await seedDecided(db, { text: 'Lovely turnout at the fete', decision: 'allow', at: daysAgo(1) })
    const purge = await purgeText(db, { allowedDays: 30, removedDays: 365 })
    expect(purge.purged).toBe(1)

    const exported = await exportDecisions(db)
    expect(exported).toHaveLength(4)
    const { items, purged } = decisionItems(exported)
    expect(purged).toBe(1)
    expect(items.map((i) => i.text).sort()).toEqual(
      [
        '[name] at [number] Elm Close dumps her rubbish, ring [phone] or [email]',
        'Cllr [name] is out of touch, says [name] of @[name]',
        'You are vermin and everyone on this estate knows it',
      ].sort(),
    )
    const byText = new Map(items.map((i) => [i.text.slice(0, 8), i]))
    expect(byText.get('Cllr [na')).toMatchObject({ label: 'keep', overturned: true })
    // reported by hand from an allow, removed: the reporter's category is what it teaches
    expect(byText.get('You are ')).toMatchObject({
      label: 'remove',
      categories: ['harassment'],
      overturned: true,
    })
    expect(byText.get('[name] a')).toMatchObject({ label: 'remove', overturned: false })
    const examples = councilExamples(items, 5)
    expect(examples.every((e) => e.source === 'council' && e.split === 'train')).toBe(true)
    expect(JSON.stringify(examples)).not.toMatch(/Tracey|07700|gmail|Okafor|Pilkington|14 Elm/)
  })
})

// @NOTE a small, real retrain (in-domain comments only, fewer buckets and epochs) so the test
// takes seconds: the same trainModel the shipped and council models come from
const SMALL = { bits: 18, epochs: 4, quick: true }
const KEPT = [
  'Cllr Dawson is a dinosaur who should retire',
  'Cllr Dawson is a dinosaur, time he retired',
  'Honestly Cllr Dawson is a dinosaur and should retire before May',
  'Cllr Dawson is a dinosaur who should have retired years ago',
  'That dinosaur Cllr Dawson should retire and let someone younger in',
  'Cllr Dawson, you are a dinosaur. Retire.',
]
// @NOTE unseen comments in the same vein, about another councillor and about "our councillor"
const UNSEEN = [
  'Cllr Hughes is a dinosaur and should retire',
  'Our councillor is a dinosaur who should retire',
]

describe('a retrain with decisions', () => {
  let t: TestDb
  const tmp = tempDir('wardguard-council-')
  beforeAll(async () => {
    t = await openTestDb('pglite')
  })
  afterAll(async () => {
    await t?.dispose()
    tmp.cleanup()
  })

  it('stops flagging what moderators kept again and again', async () => {
    const base = loadPolicy(undefined, { model: false })
    const before = trainModel({
      seed: 20261204,
      rate: 0.08,
      l2: 0.000001,
      inDomainWeight: 3,
      publicData: null,
      out: path.join(tmp.dir, 'before.wgm'),
      ...SMALL,
    }).model
    const decide = (text: string, policy: Policy) =>
      moderate({ text, platform: 'facebook' }, policy)
    for (const text of UNSEEN) {
      const flagged = decide(text, withModel(base, before))
      expect(flagged.action).not.toBe('allow')
      expect(flagged.reasons.some((r) => r.rule.startsWith('model.'))).toBe(true)
    }
    const flagged = decide(KEPT[0] as string, withModel(base, before))
    expect(flagged.action).not.toBe('allow')

    for (const [i, text] of KEPT.entries()) {
      await seedDecided(t.db, {
        text,
        decision: 'review',
        categories: flagged.categories,
        verdict: 'keep',
        at: daysAgo(1 + i / 10),
      })
    }
    const council = await trainWithDecisions(t.db, {
      outDir: tmp.dir,
      publicData: null,
      train: SMALL,
    })
    expect(council.examples).toBe(KEPT.length)
    expect(council.byCategory).toEqual({ kept: KEPT.length })
    const after = loadPolicy(undefined, { modelPath: council.path })
    for (const text of UNSEEN) expect(decide(text, after).action).toBe('allow')
    // it still judges the rest: a threat stays flagged
    expect(
      moderate({ text: 'I know where you live and I will hurt you', platform: 'facebook' }, after)
        .action,
    ).not.toBe('allow')
  }, 240_000)

  it('writes a model card that counts the council examples', async () => {
    const out = path.join(tmp.dir, 'with-card')
    const r = await trainWithDecisions(t.db, {
      outDir: out,
      publicData: null,
      train: { bits: 18, epochs: 2 },
    })
    const card = readFileSync(r.card as string, 'utf8')
    expect(card).toContain("The council's own decisions")
    expect(card).toMatch(/\| kept \| 6 \|/)
    expect(card).toContain('stay on it; nothing was sent anywhere')
  }, 240_000)
})
