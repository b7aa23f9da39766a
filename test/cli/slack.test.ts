import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { saveConnectedAccount } from '../../src/accounts/account-store.js'
import { withAuditStore } from '../../src/web/open-store.js'
import { runCli } from '../helpers/process.js'
import { tempDir, writeFile } from '../helpers/tmp.js'
import { type SlackSim, startSlackSim } from '../simulators/slack-sim.js'

const BOT = 'xoxb-cli-bot'

const accountsYaml = (channel: string) => `
accounts:
  - id: cllr-patel
    platform: facebook
    pageId: "100000000000001"
    name: Cllr Patel
    owner: { name: Priya Patel }
    tokenEnv: FB_TOKEN_PATEL
    review: { channel: C0RIVER, moderators: [U0PRIYA] }
  - id: cllr-hill
    platform: x
    userId: "2000000000000000009"
    name: Cllr Hill
    owner: { name: Jo Hill }
    tokenEnv: X_TOKEN_HILL
    review: { channel: ${channel}, moderators: [U0JO] }
`

describe('wardguard slack (the real CLI)', () => {
  const tmp = tempDir('wardguard-slack-cli-')
  let sim: SlackSim
  let env: Record<string, string>
  beforeAll(async () => {
    sim = await startSlackSim({
      botToken: BOT,
      channels: {
        C0RIVER: { name: 'riverside-review' },
        C0HILL: { name: 'hill-review' },
        C0HILLOUT: { name: 'hill-old', member: false },
      },
    })
    env = {
      FB_TOKEN_PATEL: 'page-token',
      X_TOKEN_HILL: 'x-token',
      FACEBOOK_APP_SECRET: 'app-secret',
      FACEBOOK_VERIFY_TOKEN: 'verify',
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: 'signing',
      SLACK_API_URL: sim.url,
    }
  })
  afterAll(async () => {
    await sim?.close()
    tmp.cleanup()
  })

  const withConfig = (name: string, channel: string): Record<string, string> => ({
    ...env,
    WARDGUARD_CONFIG: writeFile(tmp.dir, name, accountsYaml(channel)),
  })

  it('exits 0 and says Slack is ready when the bot is in every review channel', async () => {
    const r = await runCli(['slack', 'check'], {
      cwd: tmp.dir,
      env: withConfig('ok.yaml', 'C0HILL'),
    })
    expect(r.stderr).toBe('')
    expect(r.stdout).toContain('bot @wardguard')
    expect(r.stdout).toMatch(/ok\s+#hill-review \(C0HILL\): cllr-hill/)
    expect(r.stdout).toContain('Slack is ready for review.')
    expect(r.code).toBe(0)
  }, 30_000)

  it('exits 1 and prints the /invite fix when the bot is not in a channel', async () => {
    const r = await runCli(['slack', 'check'], {
      cwd: tmp.dir,
      env: withConfig('out.yaml', 'C0HILLOUT'),
    })
    expect(r.stdout).toContain('1 problem:')
    expect(r.stdout).toContain('the bot is not in review channel #hill-old (account cllr-hill)')
    expect(r.stdout).toContain('fix: invite the bot: /invite @wardguard in #hill-old')
    expect(r.stdout).not.toContain(BOT)
    expect(r.code).toBe(1)
  }, 30_000)

  it('also checks the review channels of accounts connected from the web app', async () => {
    const dataDir = path.join(tmp.dir, 'data-connected')
    mkdirSync(dataDir)
    await withAuditStore({ DATA_DIR: dataDir, DATABASE_URL: undefined }, (db) =>
      saveConnectedAccount(
        db,
        {
          id: 'cllr-web',
          platform: 'facebook',
          pageId: '100000000000077',
          name: 'Cllr Web',
          owner: { name: 'Wendy Web' },
          review: { channel: 'C0HILLOUT', moderators: ['U0WENDY'] },
        },
        'admin',
      ),
    )
    const r = await runCli(['slack', 'check'], {
      cwd: tmp.dir,
      env: { ...withConfig('connected.yaml', 'C0HILL'), DATA_DIR: dataDir },
    })
    expect(r.stdout).toContain('1 connected from the web app or CLI')
    expect(r.stdout).toContain('fix: invite the bot: /invite @wardguard in #hill-old')
    expect(r.stdout).toContain('(account cllr-web)')
    expect(r.code).toBe(1)
  }, 60_000)

  it('exits 2 with a clear message when SLACK_BOT_TOKEN is not set', async () => {
    const { SLACK_BOT_TOKEN: _, ...noToken } = withConfig('no-token.yaml', 'C0HILL')
    const r = await runCli(['slack', 'check'], { cwd: tmp.dir, env: noToken })
    expect(r.stderr).toContain('SLACK_BOT_TOKEN: not set')
    expect(r.stderr).toContain('docs/slack-setup.md')
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.code).toBe(2)
  }, 30_000)

  it('prints the manifest with the given host, ready to paste', async () => {
    const r = await runCli(['slack', 'manifest', '--url', 'https://moderation.example.org'], {
      cwd: tmp.dir,
    })
    expect(r.code).toBe(0)
    const printed = parse(r.stdout) as { settings: { interactivity: { request_url: string } } }
    expect(printed.settings.interactivity.request_url).toBe(
      'https://moderation.example.org/slack/events',
    )
    const insecure = await runCli(['slack', 'manifest', '--url', 'http://moderation.example.org'], {
      cwd: tmp.dir,
    })
    expect(insecure.code).toBe(2)
    expect(insecure.stderr).toContain('only calls https')
  }, 30_000)
})
