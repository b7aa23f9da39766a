import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { webApi } from '@slack/bolt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { SLACK_METHOD_SCOPES } from '../../src/connectors/slack/check.js'
import {
  manifestBotScopes,
  manifestRequestUrls,
  parseSlackManifest,
  publicBase,
  readSlackManifest,
  renderSlackManifest,
} from '../../src/connectors/slack/manifest.js'
import { type Harness, startHarness } from '../helpers/harness.js'
import { type SlackSim, sendSigned, startSlackSim } from '../simulators/slack-sim.js'

const { text, manifest } = readSlackManifest()

/** Every `<something>client.<ns>.<method>(` in src/ that is a real WebClient method. */
function webClientCallsInSource(): Map<string, string> {
  const probe = new webApi.WebClient() as unknown as Record<string, Record<string, unknown>>
  const found = new Map<string, string>()
  const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  )
  for (const f of files) {
    const src = readFileSync(path.join('src', f), 'utf8')
    for (const m of src.matchAll(/[cC]lient\.([a-z]+)\.([a-zA-Z]+)(?:\.([a-zA-Z]+))?\(/g)) {
      const [, ns, a, b] = m as unknown as [string, string, string, string | undefined]
      const holder = probe[ns]?.[a]
      const method = b ? `${ns}.${a}.${b}` : `${ns}.${a}`
      const isMethod = b
        ? typeof (holder as Record<string, unknown> | undefined)?.[b] === 'function'
        : typeof holder === 'function'
      if (isMethod) found.set(method, f)
    }
  }
  return found
}

// @NOTE called with the app-level token (xapp-…), whose scope is not a bot scope
const APP_TOKEN_METHODS = new Set(['apps.connections.open'])

describe('the Slack app manifest', () => {
  it('is a manifest Slack accepts in shape: bot user, interactivity, no org deploy, Socket Mode off', () => {
    const raw = parse(text) as Record<string, unknown>
    expect(Object.keys(raw)).toEqual(
      expect.arrayContaining(['display_information', 'features', 'oauth_config', 'settings']),
    )
    expect(manifest.display_information.name).toBe('Wardguard')
    expect(manifest.features.bot_user.display_name).toBe('wardguard')
    expect(manifest.settings.interactivity.is_enabled).toBe(true)
    expect(manifest.settings.org_deploy_enabled).toBe(false)
    expect(manifest.settings.socket_mode_enabled).toBe(false)
    expect(manifestRequestUrls(manifest)).toEqual([
      'https://wardguard.example.council.gov.uk/slack/events',
    ])
  })

  it('asks for exactly the bot scopes of the Web API methods Wardguard calls', () => {
    const calls = webClientCallsInSource()
    // the scan must see the calls we know of, or it proves nothing
    expect([...calls.keys()]).toEqual(
      expect.arrayContaining([
        'chat.postMessage',
        'chat.update',
        'views.open',
        'conversations.info',
      ]),
    )
    const unmapped = [...calls]
      .filter(([m]) => !(m in SLACK_METHOD_SCOPES) && !APP_TOKEN_METHODS.has(m))
      .map(([m, f]) => `${m} (src/${f})`)
    expect(unmapped, 'add these to SLACK_METHOD_SCOPES in src/connectors/slack/check.ts').toEqual(
      [],
    )
    const needed = [...new Set(Object.values(SLACK_METHOD_SCOPES).flat())].sort()
    expect(manifestBotScopes(manifest)).toEqual(needed)
  })

  it('is printed with the council host filled in, or as the Socket Mode variant', () => {
    const hosted = parseSlackManifest(
      renderSlackManifest(text, { baseUrl: 'https://moderation.example.org/' }),
    )
    expect(manifestRequestUrls(hosted)).toEqual(['https://moderation.example.org/slack/events'])
    const socket = parseSlackManifest(renderSlackManifest(text, { socketMode: true }))
    expect(socket.settings.socket_mode_enabled).toBe(true)
    expect(manifestRequestUrls(socket)).toEqual([])
    expect(manifestBotScopes(socket)).toEqual(manifestBotScopes(manifest))
    expect(() => publicBase('http://moderation.example.org')).toThrow(/only calls https/)
  })
})

describe('the manifest request URLs are routes the running service serves', () => {
  const BOT = 'xoxb-manifest-bot'
  const SIGNING = 'manifest-signing-secret'
  let slack: SlackSim
  let h: Harness
  beforeAll(async () => {
    slack = await startSlackSim({ botToken: BOT })
    h = await startHarness({
      env: { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: slack.url },
    })
  }, 60_000)
  afterAll(async () => {
    await h?.stop()
    await slack?.close()
  })

  it('answers Slack at every request_url path, as Slack checks when the URL is saved', async () => {
    for (const url of manifestRequestUrls(manifest)) {
      const target = `${h.service.url}${new URL(url).pathname}`
      const body = JSON.stringify({ token: 't', challenge: 'ch4llenge', type: 'url_verification' })
      const res = await sendSigned(target, body, 'application/json', { signingSecret: SIGNING })
      expect(res.status, target).toBe(200)
      expect(await res.json()).toEqual({ challenge: 'ch4llenge' })
    }
  })
})
