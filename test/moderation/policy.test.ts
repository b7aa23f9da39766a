import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/errors.js'
import {
  DEFAULT_POLICY_PATH,
  loadPolicy,
  PolicyOverridesSchema,
  withOverrides,
} from '../../src/moderation/index.js'
import { check, policy } from './helpers.js'

const base = readFileSync(DEFAULT_POLICY_PATH, 'utf8')

const made: string[] = []
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

/** A copy of the shipped policy with some text replaced, in a temp folder next to the lexicons. */
function variant(edit: (yaml: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'wardguard-policy-'))
  made.push(dir)
  const file = join(dir, 'policy.yaml')
  const lexicons = join(DEFAULT_POLICY_PATH, '..', 'lexicons')
  const model = join(DEFAULT_POLICY_PATH, '..', 'model', 'wardguard.wgm')
  const yaml = edit(base)
    .replace(/^lexicons: .*$/m, `lexicons: ${lexicons}`)
    .replace(/^model: .*$/m, `model: ${model}`)
  writeFileSync(file, yaml)
  return file
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn()
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

describe('policy', () => {
  it('loads the shipped policy with a content-hash version', () => {
    expect(policy.version).toMatch(/^[0-9a-f]{16}$/)
    expect(policy.repeatOffenders).toEqual({
      windowDays: 30,
      hideThreshold: 3,
      suggestBanThreshold: 5,
    })
    expect(policy.pileOn.threshold).toBeGreaterThan(0)
    expect(policy.staffedHours.timezone).toBe('Europe/London')
  })

  it('records the policy version on every decision', () => {
    expect(check('hello').policyVersion).toBe(policy.version)
  })

  it('names every wrong key when the file is invalid', () => {
    const file = variant((y) =>
      y
        .replace(/hate:( +#.*)?\n {4}action: hide/, 'hate:\n    action: delete')
        .replace('spamThreshold: 4', 'spamThreshold: lots\ncolour: blue'),
    )
    expect(problemsOf(() => loadPolicy(file))).toEqual(
      expect.arrayContaining([
        'categories.hate.action: must be one of allow, hide, review',
        'spamThreshold: must be a whole number',
        'colour: is not a known setting',
      ]),
    )
  })

  it('says which file it could not read when the path is wrong', () => {
    expect(problemsOf(() => loadPolicy('/nonexistent/policy.yaml'))[0]).toMatch(
      /cannot read \/nonexistent\/policy.yaml/,
    )
  })

  it('changes the version when a setting changes', () => {
    const changed = withOverrides(policy, { mildProfanity: 'review' })
    expect(changed.version).not.toBe(policy.version)
    expect(withOverrides(policy, { mildProfanity: 'allow' }).version).toBe(policy.version)
  })

  it('names the account key when an override is wrong', () => {
    expect(
      problemsOf(() =>
        withOverrides(
          policy,
          { categories: { threat: { action: 'ban' } }, shout: 1 },
          'accounts.cllr-a.policy',
        ),
      ),
    ).toEqual([
      'accounts.cllr-a.policy.categories.threat.action: must be one of allow, hide, review',
      'accounts.cllr-a.policy.shout: is not a known setting',
    ])
  })

  it('accepts the overrides an account may set', () => {
    expect(
      PolicyOverridesSchema.safeParse({
        allow: ['Penistone'],
        mildProfanity: 'hide',
        staffedHours: { enabled: true },
      }).success,
    ).toBe(true)
  })

  it('lets an account make a category stricter', () => {
    const strict = withOverrides(policy, {
      categories: { harassment: { action: 'hide', borderline: 'hide' } },
    })
    expect(check('Moron.', {}, strict).action).toBe('hide')
    expect(check('Moron.').action).toBe('review')
  })

  it('applies the stricter profile during the pre-election period', () => {
    const election = withOverrides(policy, {
      preElection: { from: '2026-04-01', to: '2026-05-07' },
    })
    const during = check('Bloody potholes', { at: '2026-04-20T10:00:00Z' }, election)
    expect(during.action).toBe('review')
    expect(during.modes).toEqual(['pre_election'])
    const after = check('Bloody potholes', { at: '2026-05-08T10:00:00Z' }, election)
    expect(after.action).toBe('allow')
    expect(after.modes).toEqual([])
  })

  it('hides what would go to review until reviewed when outside staffed hours', () => {
    const staffed = withOverrides(policy, {
      staffedHours: {
        enabled: true,
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        from: '09:00',
        to: '17:00',
      },
    })
    // @NOTE 2026-06-06 is a Saturday; 2026-06-08 a Monday, 10:00 in London is 09:00 UTC (BST)
    const weekend = check('Moron.', { at: '2026-06-06T12:00:00Z' }, staffed)
    expect(weekend.action).toBe('hide')
    expect(weekend.reviewRequired).toBe(true)
    expect(weekend.modes).toContain('outside_staffed_hours')
    expect(check('Moron.', { at: '2026-06-08T09:00:00Z' }, staffed).action).toBe('review')
    expect(check('Moron.', { at: '2026-06-08T16:30:00Z' }, staffed).action).toBe('hide')
  })

  it('loads a policy from a file with a relative lexicons folder', () => {
    const file = variant((y) => y.replace('mildProfanity: allow', 'mildProfanity: hide'))
    expect(check('bloody potholes', {}, loadPolicy(file)).action).toBe('hide')
  })
})
