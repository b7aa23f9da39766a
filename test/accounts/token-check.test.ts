import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { notifyAccountsChanged } from '../../src/accounts/changes.js'
import { saveXTokens } from '../../src/accounts/connect-x.js'
import type { Onboarding } from '../../src/accounts/onboarding.js'
import { type TokenCheckDeps, TokenChecker } from '../../src/accounts/token-check.js'
import { listTokenInfo, readToken, saveToken } from '../../src/accounts/token-store.js'
import { listEvents } from '../../src/audit/index.js'
import { refreshXToken, X_SCOPE_LIST } from '../../src/connectors/x/oauth.js'
import { fingerprint } from '../../src/pipeline/accounts.js'
import {
  type Harness,
  PAGE_ID,
  PAGE_TOKEN,
  REVIEW_CHANNEL,
  startHarness,
  waitFor,
  X_USER_ID,
} from '../helpers/harness.js'
import { platformFailure } from '../helpers/rejection.js'
import { type SlackSim, startSlackSim } from '../simulators/slack-sim.js'

const BOT = 'xoxb-token-check-bot'
const DAY_S = 86_400

describe('the token check', () => {
  let h: Harness
  let slack: SlackSim

  beforeAll(async () => {
    slack = await startSlackSim({ botToken: BOT })
    // the simulators' apps are made before the service starts: read their credentials first
    h = await startHarness({
      env: {
        SLACK_BOT_TOKEN: BOT,
        SLACK_SIGNING_SECRET: 'token-check-signing',
        SLACK_API_URL: slack.url,
        TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        TOKEN_WARN_DAYS: '7',
      },
    })
    const fbApp = h.graph.state.oauth.app
    const xClient = h.x.state.oauth.client
    await h.restart({
      FACEBOOK_APP_ID: fbApp.id,
      FACEBOOK_APP_SECRET: fbApp.secret,
      X_CLIENT_ID: xClient.id,
      X_CLIENT_SECRET: xClient.secret ?? '',
    })
    // the check the service ran as it started is over before the tests change any token
    await h.service.tokenChecker?.idle()
    // the harness Page's own token, known to debug_token from now on
    h.graph.state.oauth.adopt(PAGE_TOKEN, PAGE_ID)
  }, 60_000)
  afterAll(async () => {
    await h?.stop()
    await slack?.close()
  })

  const checker = () => {
    const c = h.service.tokenChecker
    if (!c) throw new Error('the service started no token checker')
    return c
  }
  /** a second worker process's checker: same Redis and store, its own instance */
  const otherWorker = () => {
    const s = h.service
    const ob: Onboarding = {
      db: s.db,
      keyring: s.keyring,
      notify: () => notifyAccountsChanged(s.redis),
      env: s.config.env,
      yamlAccounts: s.config.file.accounts,
    }
    const deps: TokenCheckDeps = {
      ob,
      redis: s.redis,
      accounts: s.pipeline.accounts,
      envTokens: s.config.secrets.accountTokens,
      followUps: s.pipeline.followUps,
    }
    return new TokenChecker(deps)
  }
  const tokenAlerts = async (accountId: string) =>
    (await listEvents(h.service.db, { type: 'alert.raised' }, undefined, 200)).items.filter(
      (e) => e.accountId === accountId && e.meta.alert === 'token_alert',
    )
  const slackAlerts = () =>
    slack.messages.filter((m) => m.channel === REVIEW_CHANNEL && /Access token/.test(m.text))
  const reviewJobs = async () =>
    (
      await h.service.pipeline.queues.review.getJobs([
        'completed',
        'waiting',
        'active',
        'delayed',
        'prioritized',
        'failed',
      ])
    ).filter((j) => j.name === 'token_alert')
  const health = async (accountId: string, kind: string) =>
    (await listTokenInfo(h.service.db)).find((t) => t.accountId === accountId && t.kind === kind)

  it('warns the review channel once about a Page token that expires within TOKEN_WARN_DAYS', async () => {
    h.graph.state.oauth.expireIn(PAGE_TOKEN, 3 * DAY_S)
    const first = await checker().runOnce()
    expect(first.warned).toEqual([
      { accountId: 'cllr-test', condition: expect.stringMatching(/^expiring:/) },
    ])
    const posted = await waitFor(
      async () => slackAlerts(),
      (m) => m.length > 0,
    )
    expect(posted).toHaveLength(1)
    const text = JSON.stringify(posted[0]?.blocks)
    expect(text).toContain('Cllr Test')
    expect(text).toMatch(/expires on \w+day \d+ \w+ \d{4} \(in 3 days\)/)
    expect(text).toContain('reconnect it in Wardguard → Accounts')
    expect(text).toContain('FB_TOKEN_TEST')
    expect(text).not.toContain(PAGE_TOKEN)

    // an hour later, the same condition: nothing new anywhere
    const second = await checker().runOnce()
    expect(second.warned).toEqual([])
    expect(second.checked).toContainEqual({
      accountId: 'cllr-test',
      kind: 'page',
      status: 'expiring',
    })
    const alerts = await tokenAlerts('cllr-test')
    expect(alerts).toHaveLength(1)
    expect(alerts[0]?.meta).toMatchObject({ kind: 'expiring', expiresAt: expect.any(String) })
    expect(alerts[0]?.subjectKey).toBe('account.cllr-test')
    expect(await reviewJobs()).toHaveLength(1)
    expect(slackAlerts()).toHaveLength(1)
    expect(await health('cllr-test', 'page')).toMatchObject({ status: 'expiring', stored: false })
  }, 60_000)

  it('says an X account with only a tokenEnv token cannot be refreshed', async () => {
    const x = await health('cllr-test-x', 'access')
    expect(x?.problem).toMatch(/X_TOKEN_TEST, which Wardguard cannot refresh/)
  })

  it('marks an invalid Page token failing and warns once, urgently', async () => {
    h.graph.state.oauth.invalidate(PAGE_TOKEN)
    const first = await checker().runOnce()
    expect(first.warned).toEqual([{ accountId: 'cllr-test', condition: 'failing:190' }])
    await otherWorker().runOnce()
    await checker().runOnce()
    const failing = (await tokenAlerts('cllr-test')).filter((a) => a.meta.kind === 'failing')
    expect(failing).toHaveLength(1)
    expect(failing[0]?.reason).toMatch(/has stopped working: .*code 190/)
    const info = await health('cllr-test', 'page')
    expect(info).toMatchObject({ status: 'failing', warned: 'failing:190' })
    expect(info?.problem).toMatch(/190/)
    const posted = await waitFor(
      async () => slackAlerts(),
      (m) => m.length >= 2,
    )
    expect(posted).toHaveLength(2)
    expect(posted[1]?.text).toMatch(/^URGENT /)
  }, 60_000)

  it('warns again about a new token, even for the same expiry date', async () => {
    const fresh = h.graph.state.oauth.mint({
      type: 'PAGE',
      appId: h.graph.state.oauth.app.id,
      userId: '0',
      pageId: PAGE_ID,
      scopes: [],
      expiresAt: 0,
      longLived: true,
    })
    h.graph.state.oauth.expireIn(fresh.token, 3 * DAY_S)
    const keyring = h.service.keyring
    if (!keyring) throw new Error('no keyring')
    await saveToken(h.service.db, keyring, {
      accountId: 'cllr-test',
      kind: 'page',
      secret: fresh.token,
    })
    await notifyAccountsChanged(h.service.redis)
    await waitFor(
      async () => h.service.pipeline.accounts.byId('cllr-test')?.tokenFingerprint,
      (f) => f === fingerprint(fresh.token),
    )
    const before = (await tokenAlerts('cllr-test')).length
    const run = await checker().runOnce()
    expect(run.warned).toEqual([
      { accountId: 'cllr-test', condition: expect.stringMatching(/^expiring:/) },
    ])
    expect(await tokenAlerts('cllr-test')).toHaveLength(before + 1)
    expect((await checker().runOnce()).warned).toEqual([])
    const posted = await waitFor(
      async () => slackAlerts(),
      (m) => m.length >= 3,
    )
    expect(posted).toHaveLength(3)
    // a stored token: the fix is to reconnect, not to edit an environment variable
    expect(JSON.stringify(posted[2]?.blocks)).not.toContain('FB_TOKEN_TEST')
  }, 60_000)

  it('refreshes an X token near expiry once across two workers; the pipeline then acts with it', async () => {
    const sim = h.x.state.oauth
    const { access, refresh } = sim.mintPair(sim.client.id, X_USER_ID, [...X_SCOPE_LIST])
    if (!refresh) throw new Error('no refresh token minted')
    sim.expireIn(access.token, 10 * 60)
    const ob: Onboarding = {
      db: h.service.db,
      keyring: h.service.keyring,
      notify: () => notifyAccountsChanged(h.service.redis),
      env: h.service.config.env,
      yamlAccounts: [],
    }
    await saveXTokens(ob, 'cllr-test-x', {
      accessToken: access.token,
      refreshToken: refresh.token,
      expiresAt: new Date(Date.now() + 10 * 60_000),
      scopes: [...X_SCOPE_LIST],
      userId: X_USER_ID,
      username: 'CllrTest',
    })
    const refreshesBefore = sim.refreshCount

    const [a, b] = await Promise.all([checker().refreshDue(), otherWorker().refreshDue()])
    expect([...a.refreshed, ...b.refreshed]).toEqual(['cllr-test-x'])
    expect(sim.refreshCount).toBe(refreshesBefore + 1)
    // the other worker did not spend the retired refresh token (X would have refused it)
    expect([...a.warned, ...b.warned]).toEqual([])
    expect(await tokenAlerts('cllr-test-x')).toEqual([])
    expect((await health('cllr-test-x', 'refresh'))?.status ?? null).toBeNull()

    const keyring = h.service.keyring!
    const stored = await readToken(h.service.db, keyring, 'cllr-test-x', 'access')
    const storedRefresh = await readToken(h.service.db, keyring, 'cllr-test-x', 'refresh')
    expect(stored?.secret).not.toBe(access.token)
    expect(storedRefresh?.secret).not.toBe(refresh.token)
    expect((stored?.expiresAt?.getTime() ?? 0) - Date.now()).toBeGreaterThan(60 * 60_000)
    // X rotated the refresh token: the old one is spent
    const spent = await platformFailure(
      refreshXToken({
        apiUrl: h.x.url,
        clientId: sim.client.id,
        clientSecret: sim.client.secret,
        refreshToken: refresh.token,
      }),
    )
    expect(spent.code).toBe('platform_token_invalid')
    // nothing left to do a minute later
    expect((await checker().refreshDue()).refreshed).toEqual([])

    // the old access token stops working; the pipeline's client must be using the new one
    sim.invalidate(access.token)
    const runtime = await waitFor(
      async () => h.service.pipeline.accounts.byId('cllr-test-x'),
      (r) => r?.tokenFingerprint === fingerprint(stored?.secret ?? ''),
    )
    h.x.state.addUser({ id: '5002', username: 'resident_two' })
    const post = h.x.state.addTweet({ authorId: X_USER_ID, text: 'Ward surgery on Friday' })
    const reply = h.x.state.addTweet({ authorId: '5002', text: 'a reply', replyTo: post.id })
    await runtime?.client.perform('hide', { commentId: reply.id, authorId: '5002' })
    expect(h.x.state.tweet(reply.id)?.hidden).toBe(true)
  }, 60_000)

  it('warns once when X refuses the refresh token', async () => {
    const keyring = h.service.keyring!
    const refresh = await readToken(h.service.db, keyring, 'cllr-test-x', 'refresh')
    h.x.state.oauth.invalidate(refresh?.secret ?? '')
    const access = await readToken(h.service.db, keyring, 'cllr-test-x', 'access')
    await saveToken(h.service.db, keyring, {
      accountId: 'cllr-test-x',
      kind: 'access',
      secret: access?.secret ?? '',
      expiresAt: new Date(Date.now() + 5 * 60_000),
    })
    const first = await checker().refreshDue()
    expect(first.warned).toEqual([
      { accountId: 'cllr-test-x', condition: 'failing:refresh_refused' },
    ])
    expect((await checker().refreshDue()).warned).toEqual([])
    expect(await health('cllr-test-x', 'refresh')).toMatchObject({ status: 'failing' })
    const alerts = await tokenAlerts('cllr-test-x')
    expect(alerts).toHaveLength(1)
    expect(alerts[0]?.reason).toMatch(
      /reconnect it in Wardguard → Accounts \(Connect an X account\)/,
    )
  }, 60_000)

  it('checks no Facebook token without the app credentials, and says why', async () => {
    const s = h.service
    const noApp = new TokenChecker({
      ob: {
        db: s.db,
        keyring: s.keyring,
        notify: async () => {},
        env: { ...s.config.env, FACEBOOK_APP_ID: undefined },
        yamlAccounts: [],
      },
      redis: s.redis,
      accounts: s.pipeline.accounts,
      envTokens: s.config.secrets.accountTokens,
      followUps: s.pipeline.followUps,
    })
    const before = await health('cllr-test', 'page')
    const run = await noApp.runOnce()
    expect(run.skipped).toContain(
      'Facebook Page tokens are not checked: debug_token needs FACEBOOK_APP_ID and FACEBOOK_APP_SECRET',
    )
    expect(run.checked.filter((c) => c.kind === 'page')).toEqual([])
    expect((await health('cllr-test', 'page'))?.checkedAt).toEqual(before?.checkedAt)
  })
})
