import { afterEach, describe, expect, it } from 'vitest'
import { checkSlack, createCheckClient } from '../../src/connectors/slack/check.js'
import { manifestBotScopes, readSlackManifest } from '../../src/connectors/slack/manifest.js'
import { type SlackSim, type SlackSimOptions, startSlackSim } from '../simulators/slack-sim.js'

const BOT = 'xoxb-check-bot'
const APP = 'xapp-check-app'
const required = manifestBotScopes(readSlackManifest().manifest)

let sim: SlackSim | null = null
afterEach(async () => {
  await sim?.close()
  sim = null
})

async function check(
  simOpts: Partial<SlackSimOptions>,
  channels: { accountId: string; channel: string }[],
  o: { token?: string; appToken?: string } = {},
) {
  sim = await startSlackSim({ botToken: BOT, appToken: APP, ...simOpts })
  return checkSlack({
    // the real WebClient, as the CLI builds it, pointed at the simulator
    client: createCheckClient(o.token ?? BOT, sim.url),
    channels,
    requiredScopes: required,
    appClient: o.appToken ? createCheckClient(o.appToken, sim.url) : undefined,
  })
}

const workspace = {
  C0RIVER: { name: 'riverside-review' },
  C0SECRET: { name: 'jones-review', private: true },
  C0OUT: { name: 'hill-review', member: false },
  C0OLD: { name: 'old-review', archived: true },
}

describe('wardguard slack check', () => {
  it('reports all good: valid token, every scope the manifest asks for, bot in every channel', async () => {
    const r = await check({ channels: workspace }, [
      { accountId: 'cllr-patel', channel: 'C0RIVER' },
      { accountId: 'cllr-jones', channel: 'C0SECRET' },
      { accountId: 'cllr-jones-x', channel: 'C0SECRET' },
    ])
    expect(r.problems).toEqual([])
    expect(r.ok).toBe(true)
    expect(r.bot).toMatchObject({ team: 'Council', teamId: 'T0SIM', user: 'wardguard' })
    expect(r.grantedScopes?.sort()).toEqual(required)
    expect(r.missingScopes).toEqual([])
    expect(r.channels).toEqual([
      { channel: 'C0RIVER', name: 'riverside-review', accountIds: ['cllr-patel'], status: 'ok' },
      {
        channel: 'C0SECRET',
        name: 'jones-review',
        accountIds: ['cllr-jones', 'cllr-jones-x'],
        status: 'ok',
      },
    ])
    // a channel shared by two accounts is asked about once
    expect(sim?.calls('conversations.info').map((c) => c.args.channel)).toEqual([
      'C0RIVER',
      'C0SECRET',
    ])
  })

  it('names a missing scope and says how to add it', async () => {
    const r = await check(
      { channels: workspace, scopes: ['chat:write', 'channels:read', 'users:read'] },
      [{ accountId: 'cllr-patel', channel: 'C0RIVER' }],
    )
    expect(r.ok).toBe(false)
    expect(r.missingScopes).toEqual(['groups:read'])
    expect(r.problems).toHaveLength(1)
    expect(r.problems[0]?.what).toContain('groups:read')
    expect(r.problems[0]?.fix).toMatch(/Bot Token Scopes.*reinstall the app/)
  })

  it('names a channel the bot is not in, with the /invite fix', async () => {
    const r = await check({ channels: workspace }, [
      { accountId: 'cllr-patel', channel: 'C0RIVER' },
      { accountId: 'cllr-hill', channel: 'C0OUT' },
    ])
    expect(r.ok).toBe(false)
    expect(r.channels.map((c) => c.status)).toEqual(['ok', 'not_member'])
    expect(r.problems).toEqual([
      {
        what: 'the bot is not in review channel #hill-review (account cllr-hill)',
        fix: 'invite the bot: /invite @wardguard in #hill-review',
      },
    ])
  })

  it('reports an unknown channel id against the account that names it, and an archived channel', async () => {
    const r = await check({ channels: workspace }, [
      { accountId: 'cllr-typo', channel: 'C0TYPO' },
      { accountId: 'cllr-old', channel: 'C0OLD' },
    ])
    expect(r.channels.map((c) => c.status)).toEqual(['not_found', 'archived'])
    expect(r.problems[0]?.what).toContain('C0TYPO (account cllr-typo) does not exist')
    expect(r.problems[0]?.fix).toContain('review.channel of account cllr-typo')
    expect(r.problems[1]?.what).toBe('review channel #old-review (account cllr-old) is archived')
  })

  it('a private channel the bot was never invited to looks like an unknown one, and says to invite it', async () => {
    const r = await check(
      { channels: { C0PRIV: { name: 'private-review', private: true, member: false } } },
      [{ accountId: 'cllr-patel', channel: 'C0PRIV' }],
    )
    expect(r.channels[0]?.status).toBe('not_found')
    expect(r.problems[0]?.fix).toContain('/invite @wardguard')
  })

  it('stops at an invalid token, says which token to copy, and checks no channel with it', async () => {
    const r = await check(
      { channels: workspace },
      [{ accountId: 'cllr-patel', channel: 'C0RIVER' }],
      {
        token: 'xoxb-revoked',
      },
    )
    expect(r.ok).toBe(false)
    expect(r.bot).toBeNull()
    expect(r.problems).toHaveLength(1)
    expect(r.problems[0]?.what).toBe('SLACK_BOT_TOKEN was refused by Slack (invalid_auth)')
    expect(r.problems[0]?.fix).toContain('Bot User OAuth Token (xoxb-…)')
    expect(sim?.calls('conversations.info')).toHaveLength(0)
    expect(JSON.stringify(r)).not.toContain('xoxb-revoked')
  })

  it('checks the Socket Mode app token when one is given', async () => {
    const good = await check({ channels: workspace }, [], { appToken: APP })
    expect(good.socketMode).toBe('ok')
    expect(good.ok).toBe(true)
    await sim?.close()
    const bad = await check({ channels: workspace }, [], { appToken: 'xapp-wrong' })
    expect(bad.socketMode).toBe('failed')
    expect(bad.problems[0]?.fix).toContain('connections:write')
  })
})
