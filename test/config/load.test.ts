import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError } from '../../src/errors.js'
import { tempDir, writeFile } from '../helpers/tmp.js'

const GOOD = `
council:
  name: Example Borough Council
accounts:
  - id: cllr-patel
    platform: facebook
    pageId: "1000001"
    name: Cllr Priya Patel
    owner: { name: Priya Patel }
    tokenEnv: FB_TOKEN_PATEL
    review:
      channel: C0REVIEW1
      moderators: [U0ADMIN1, U0ADMIN2]
  - id: cllr-jones-x
    platform: x
    userId: "2000001"
    name: Cllr Ann Jones
    owner: { name: Ann Jones }
    tokenEnv: X_TOKEN_JONES
    review: { channel: C0REVIEW2, moderators: [U0ADMIN3] }
`
const SECRETS = {
  FB_TOKEN_PATEL: 'fb-token',
  X_TOKEN_JONES: 'x-token',
  FACEBOOK_APP_SECRET: 'app-secret',
  FACEBOOK_VERIFY_TOKEN: 'verify',
}

describe('loadConfig', () => {
  const tmp = tempDir()
  afterEach(() => undefined)

  function load(yaml: string | null, env: Record<string, string> = {}) {
    const file = yaml === null ? undefined : writeFile(tmp.dir, `c${Math.random()}.yaml`, yaml)
    return loadConfig({
      env: { ...(file ? { WARDGUARD_CONFIG: file } : {}), ...env },
      cwd: tmp.dir,
    })
  }

  function problemsOf(fn: () => unknown): string[] {
    try {
      fn()
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError)
      return (err as ConfigError).problems
    }
    throw new Error('expected a ConfigError')
  }

  it('runs on built-in defaults when there is no config file and no environment', () => {
    const cfg = loadConfig({ env: {}, cwd: tmp.dir })
    expect(cfg.configPath).toBeNull()
    expect(cfg.file.accounts).toEqual([])
    expect(cfg.env.PORT).toBe(3000)
    expect(cfg.env.DATA_DIR).toBe('./data')
  })

  it('loads accounts and keeps their tokens apart from the config', () => {
    const cfg = load(GOOD, SECRETS)
    expect(cfg.file.accounts.map((a) => a.id)).toEqual(['cllr-patel', 'cllr-jones-x'])
    expect(cfg.secrets.accountTokens.get('cllr-patel')).toBe('fb-token')
    expect(JSON.stringify(cfg.file)).not.toContain('fb-token')
  })

  it('names the account and the key when a review channel is missing', () => {
    const yaml = GOOD.replace('      channel: C0REVIEW1\n', '')
    const problems = problemsOf(() => load(yaml, SECRETS))
    expect(problems.join('\n')).toMatch(/accounts\[0\] \(cllr-patel\)\.review\.channel/)
  })

  it('reports every problem at once: missing token, bad channel id, missing app secret', () => {
    const yaml = GOOD.replace('C0REVIEW2', 'general')
    const problems = problemsOf(() => load(yaml, { X_TOKEN_JONES: 'x' }))
    const text = problems.join('\n')
    expect(text).toContain(
      'accounts[0] (cllr-patel).tokenEnv: environment variable FB_TOKEN_PATEL is not set',
    )
    expect(text).toMatch(
      /accounts\[1\] \(cllr-jones-x\)\.review\.channel: must be a Slack channel id/,
    )
    expect(text).toContain('FACEBOOK_APP_SECRET: required because a Facebook Page is configured')
  })

  it('says where a malformed YAML file is broken', () => {
    const problems = problemsOf(() => load('accounts:\n  - id: [unclosed\n', SECRETS))
    expect(problems[0]).toMatch(/YAML syntax error/)
  })

  it('names a bad environment variable without echoing its value', () => {
    const problems = problemsOf(() =>
      loadConfig({ env: { PORT: 'eighty', REDIS_URL: 'not a url secret-ish' }, cwd: tmp.dir }),
    )
    const text = problems.join('\n')
    expect(text).toMatch(/^PORT: /m)
    expect(text).toMatch(/^REDIS_URL: /m)
    expect(text).not.toContain('secret-ish')
  })

  it('refuses a WARDGUARD_CONFIG that points nowhere', () => {
    const problems = problemsOf(() =>
      loadConfig({ env: { WARDGUARD_CONFIG: 'missing.yaml' }, cwd: tmp.dir }),
    )
    expect(problems.join('\n')).toMatch(/WARDGUARD_CONFIG: file .*missing\.yaml does not exist/)
  })

  it('refuses duplicate account ids and pages', () => {
    const dup = GOOD.replace('id: cllr-jones-x', 'id: cllr-patel')
    expect(problemsOf(() => load(dup, SECRETS)).join('\n')).toContain('duplicate account id')
  })

  it('passes account policy overrides to the checker and prefixes its problems', () => {
    const yaml = GOOD.replace(
      '    tokenEnv: FB_TOKEN_PATEL\n',
      '    tokenEnv: FB_TOKEN_PATEL\n    policy: { mildProfanity: sometimes }\n',
    )
    const problems = problemsOf(() =>
      loadConfig({
        env: { WARDGUARD_CONFIG: writeFile(tmp.dir, 'p.yaml', yaml), ...SECRETS },
        checkPolicy: (o) =>
          (o as { mildProfanity?: string }).mildProfanity === 'sometimes'
            ? ['mildProfanity: must be allow, review or hide']
            : [],
      }),
    )
    expect(problems).toContain(
      'accounts[0] (cllr-patel).policy.mildProfanity: must be allow, review or hide',
    )
  })
  it('refuses misspelt keys, naming where each is and the key it most likely meant', () => {
    const yaml = GOOD.replace(
      'council:\n  name: Example Borough Council',
      'councl:\n  name: Example Borough Council',
    )
      .replace(
        '      moderators: [U0ADMIN1, U0ADMIN2]\n',
        '      moderators: [U0ADMIN1, U0ADMIN2]\n      replyWithExplantion: true\n',
      )
      .replace(
        '    tokenEnv: X_TOKEN_JONES\n',
        '    tokenEnv: X_TOKEN_JONES\n    ingset: webhook\n    polcy: { allow: [Penistone] }\n',
      )
    const problems = problemsOf(() => load(yaml, SECRETS))
    const lines = problems.map((p) => p.replace(/^[^:]*\.yaml: /, ''))
    expect(lines).toEqual(
      expect.arrayContaining([
        'councl: is not a known setting; did you mean "council"?',
        'accounts[0] (cllr-patel).review.replyWithExplantion: is not a known setting; did you mean "replyWithExplanation"?',
        'accounts[1] (cllr-jones-x).ingset: is not a known setting; did you mean "ingest"?',
        'accounts[1] (cllr-jones-x).polcy: is not a known setting; did you mean "policy"?',
      ]),
    )
    expect(problems).toHaveLength(4)
  })

  it('checks keys nested in the council block and offers no guess for a word unlike any setting', () => {
    const yaml = GOOD.replace(
      '  name: Example Borough Council\n',
      '  name: Example Borough Council\n  saftyContact: safety@example.gov.uk\n  mascot: heron\n',
    )
    const problems = problemsOf(() => load(yaml, SECRETS)).map((p) =>
      p.replace(/^[^:]*\.yaml: /, ''),
    )
    expect(problems).toEqual([
      'council.saftyContact: is not a known setting; did you mean "safetyContact"?',
      'council.mascot: is not a known setting',
    ])
  })

  it("judges keys by the account's own platform: a Facebook Page has no ingest setting", () => {
    const yaml = GOOD.replace(
      '    tokenEnv: FB_TOKEN_PATEL\n',
      '    tokenEnv: FB_TOKEN_PATEL\n    ingest: poll\n',
    )
    const problems = problemsOf(() => load(yaml, SECRETS))
    expect(problems.join('\n')).toContain('accounts[0] (cllr-patel).ingest: is not a known setting')
  })

  it('accepts the shipped example file as it is', () => {
    const cfg = loadConfig({
      env: {
        WARDGUARD_CONFIG: path.resolve('config/wardguard.example.yaml'),
        ...SECRETS,
        X_TOKEN_JONES: 'x',
      },
      cwd: tmp.dir,
    })
    expect(cfg.file.accounts).toHaveLength(2)
    expect(cfg.file.council.safetyContact).toBe('community-safety@example.gov.uk')
  })
})
