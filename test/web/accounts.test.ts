import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { listConnectedAccounts, saveConnectedAccount } from '../../src/accounts/account-store.js'
import { keyringFromEnv } from '../../src/accounts/keyring.js'
import type { Onboarding } from '../../src/accounts/onboarding.js'
import { recordTokenCheck } from '../../src/accounts/token-health.js'
import { saveToken } from '../../src/accounts/token-store.js'
import { eventsForSubject } from '../../src/audit/index.js'
import type { Account } from '../../src/config/accounts.js'
import { type Env, parseEnv } from '../../src/config/env.js'
import { createWebRoutes } from '../../src/web/index.js'
import { openTestDb, type TestDb } from '../audit/backends.js'
import { clickThroughConsent } from '../simulators/consent-form.js'
import { type GraphSimulator, startGraphSimulator } from '../simulators/graph-sim.js'
import { startXSimulator, type XSimulator } from '../simulators/x-sim.js'
import { addStandardUsers, Client, seedComment } from './fixtures.js'

const NEW_PAGE = '100000000000901'
const OTHER_PAGE = '100000000000902'
const YAML_PAGE = '100000000000900'
const X_ME = '2000000000000000901'

const YAML_ACCOUNT: Account = {
  id: 'cllr-yaml',
  platform: 'facebook',
  pageId: YAML_PAGE,
  name: 'Cllr Yaml',
  owner: { name: 'Yan Yaml' },
  tokenEnv: 'FB_TOKEN_YAML',
  review: { channel: 'C0YAML001', moderators: ['U0YAML001'], replyWithExplanation: false },
}

describe('the Accounts pages', () => {
  let t: TestDb
  let graph: GraphSimulator
  let x: XSimulator
  let clock = new Date()
  let notified = 0

  const env = (extra: Record<string, string> = {}): Env => {
    const parsed = parseEnv({
      FACEBOOK_GRAPH_URL: graph.url,
      FACEBOOK_DIALOG_URL: graph.url,
      FACEBOOK_APP_ID: graph.state.oauth.app.id,
      FACEBOOK_APP_SECRET: graph.state.oauth.app.secret,
      X_API_URL: x.url,
      X_AUTHORIZE_URL: `${x.url}/i/oauth2/authorize`,
      X_CLIENT_ID: x.state.oauth.client.id,
      X_CLIENT_SECRET: x.state.oauth.client.secret ?? '',
      TOKEN_WARN_DAYS: '7',
      PUBLIC_URL: 'http://localhost',
      ...extra,
    })
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'))
    return parsed.env
  }
  const keyring = keyringFromEnv({ TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') })
  const onboarding = (o: Partial<Onboarding> = {}): Onboarding => ({
    db: t.db,
    keyring,
    notify: async () => {
      notified++
    },
    env: env(),
    yamlAccounts: [YAML_ACCOUNT],
    ...o,
  })
  const app = (o: Partial<Onboarding> = {}, envTokens: string[] = []) =>
    createWebRoutes({
      db: t.db,
      accounts: () => [],
      council: { name: 'Test Borough Council' },
      sessionSecret: 'test-session-secret-that-is-long-enough-1234',
      now: () => clock,
      onboarding: { ob: onboarding(o), envTokenAccounts: new Set(envTokens) },
    })
  const admin = async (o: Partial<Onboarding> = {}) => {
    const c = new Client(app(o))
    expect((await c.signIn('admin')).status).toBe(303)
    await c.request('/audit/accounts')
    return c
  }

  beforeAll(async () => {
    t = await openTestDb('pglite')
    await addStandardUsers(t.db)
    graph = await startGraphSimulator()
    graph.state.addUser({
      id: '9001',
      name: 'Priya Patel',
      pages: [
        { id: NEW_PAGE, name: 'Cllr Priya Patel', tasks: ['MODERATE'] },
        { id: OTHER_PAGE, name: 'Northfield Ward', tasks: ['MODERATE'] },
      ],
    })
    x = await startXSimulator()
    x.state.addUser({ id: X_ME, username: 'cllr_omar', name: 'Cllr Omar' })
    x.state.oauth.signedIn = X_ME
  }, 120_000)
  afterAll(async () => {
    await graph?.stop()
    await x?.stop()
    await t?.dispose()
  })
  beforeEach(() => {
    clock = new Date()
  })

  /** starts the Facebook flow and clicks "Continue" at the simulated Facebook */
  const facebookCallback = async (c: Client): Promise<string> => {
    const start = await c.post('/audit/accounts/facebook/start', { _csrf: c.csrf })
    expect(start.status).toBe(303)
    const back = await clickThroughConsent(start.headers.get('location') ?? '')
    expect(back.pathname).toBe('/audit/accounts/facebook/callback')
    return `${back.pathname}${back.search}`
  }

  it('is for admins only: auditors and councillors get 403, and only admins see the link', async () => {
    for (const who of ['auditor', 'adams']) {
      const c = new Client(app())
      await c.signIn(who)
      const res = await c.request('/audit/accounts')
      expect(res.status).toBe(403)
      expect(await res.text()).not.toContain('Connect a Facebook Page')
      expect(
        (await c.request('/audit/decisions').then((r) => r.text())).includes('/audit/accounts'),
      ).toBe(false)
      const post = await c.post('/audit/accounts/facebook/start', { _csrf: c.csrf })
      expect(post.status).toBe(403)
      expect((await c.request('/audit/accounts/facebook/callback?code=x&state=y')).status).toBe(403)
    }
    const anonymous = await new Client(app()).request('/audit/accounts')
    expect(anonymous.status).toBe(303)
    const c = await admin()
    const page = await (await c.request('/audit/accounts')).text()
    expect(page).toMatch(/<a [^>]*href="\/audit\/accounts"[^>]*>Accounts<\/a>/)
    expect(page).toContain('Connect a Facebook Page')
    expect(page).toContain('Connect an X account')
  })

  it('sends people back under PUBLIC_URL only, and will not start a connect flow without it', async () => {
    const c = await admin({ env: env({ PUBLIC_URL: 'https://wardguard.example.gov.uk' }) })
    const start = await c.post('/audit/accounts/facebook/start', { _csrf: c.csrf })
    expect(start.status).toBe(303)
    const dialog = new URL(start.headers.get('location') ?? '')
    // not this request's own address (http://localhost), which a Host header could set
    expect(dialog.searchParams.get('redirect_uri')).toBe(
      'https://wardguard.example.gov.uk/audit/accounts/facebook/callback',
    )
    const bare = await admin({ env: env({ PUBLIC_URL: '' }) })
    const page = await (await bare.request('/audit/accounts')).text()
    expect(page).toContain('set PUBLIC_URL')
    expect(page).not.toContain('Connect a Facebook Page</button>')
    for (const flow of ['facebook', 'x']) {
      const refused = await bare.post(`/audit/accounts/${flow}/start`, { _csrf: bare.csrf })
      expect(refused.status).toBe(400)
      expect(await refused.text()).toContain('PUBLIC_URL')
    }
    await t.db.query('delete from web_oauth_pending')
  })

  it('refuses posts without the CSRF token or from another site', async () => {
    const c = await admin()
    const noToken = await c.post('/audit/accounts/facebook/start', {})
    expect(noToken.status).toBe(403)
    const foreign = await c.post(
      '/audit/accounts/x/start',
      { _csrf: c.csrf },
      { origin: 'https://evil.example' },
    )
    expect(foreign.status).toBe(403)
    expect(
      (await c.post('/audit/accounts/facebook/pages', { flow: 'x', connect_1: 'on' })).status,
    ).toBe(403)
    const count = await t.db.query('select 1 from web_oauth_pending')
    expect(count).toEqual([])
  })

  it('accepts a state once, only in the session that started it, and not after 10 minutes', async () => {
    const a = await admin()
    const b = await admin()
    const callback = await facebookCallback(a)

    const stolen = await b.request(callback)
    expect(stolen.status).toBe(400)
    expect(await stolen.text()).toContain('started in another browser session')

    const ok = await a.request(callback)
    expect(ok.status).toBe(303)
    const pages = ok.headers.get('location') ?? ''
    expect(pages).toMatch(/^\/audit\/accounts\/facebook\/pages\?flow=/)

    const again = await a.request(callback)
    expect(again.status).toBe(400)
    expect(await again.text()).toContain('used already')

    // the Pages form is this session's too
    expect((await b.request(pages)).status).toBe(400)
    const form = await a.request(pages)
    expect(form.status).toBe(200)
    const html = await form.text()
    expect(html).toContain('Cllr Priya Patel')
    expect(html).not.toMatch(/EAA[UP]/) // no user or Page token in the page

    const late = await facebookCallback(a)
    clock = new Date(clock.getTime() + 11 * 60_000)
    const expired = await a.request(late)
    expect(expired.status).toBe(400)
    expect(await expired.text()).toContain('expired')
  })

  it('names the field of a wrong setting, keeps what was typed, then connects the Page', async () => {
    const c = await admin()
    const pages = (await c.request(await facebookCallback(c))).headers.get('location') ?? ''
    const flow = new URL(pages, 'http://localhost').searchParams.get('flow') ?? ''
    await c.request(pages)
    const fields = {
      _csrf: c.csrf,
      flow,
      [`connect_${NEW_PAGE}`]: 'on',
      [`p${NEW_PAGE}_id`]: 'cllr-patel',
      [`p${NEW_PAGE}_name`]: 'Cllr Priya Patel',
      [`p${NEW_PAGE}_owner`]: 'Priya Patel',
      [`p${NEW_PAGE}_channel`]: 'general',
      [`p${NEW_PAGE}_moderators`]: 'U0PATEL01',
    }
    const bad = await c.post('/audit/accounts/facebook/pages', fields)
    expect(bad.status).toBe(400)
    const text = await bad.text()
    expect(text).toContain(
      'Review channel (review.channel): must be a Slack channel id such as C0123ABCD',
    )
    expect(text).toContain('value="Priya Patel"')
    expect(graph.state.oauth.subscribedFields(NEW_PAGE)).toEqual([])

    const taken = await c.post('/audit/accounts/facebook/pages', {
      ...fields,
      [`p${NEW_PAGE}_id`]: 'cllr-yaml',
      [`p${NEW_PAGE}_channel`]: 'C0PATEL01',
    })
    expect(taken.status).toBe(400)
    expect(await taken.text()).toContain(
      'Id (id): id: cllr-yaml is already used by an account in the YAML file',
    )

    const good = await c.post('/audit/accounts/facebook/pages', {
      ...fields,
      [`p${NEW_PAGE}_channel`]: 'C0PATEL01',
    })
    expect(good.status).toBe(303)
    expect(good.headers.get('location')).toBe('/audit/accounts?connected=cllr-patel')
    expect(graph.state.oauth.subscribedFields(NEW_PAGE)).toEqual(['feed'])
    const list = await (await c.request('/audit/accounts?connected=cllr-patel')).text()
    expect(list).toContain('Connected: cllr-patel.')
    expect(list).toMatch(
      /data-account="cllr-patel"[\s\S]*?class="govuk-tag govuk-tag--green health working">Working</,
    )
    // the flow is spent once it has connected everything
    expect((await c.request(pages)).status).toBe(400)
  })

  it('shows a friendly page when the person cancels at Facebook, and nothing is connected', async () => {
    const c = await admin()
    const start = await c.post('/audit/accounts/facebook/start', { _csrf: c.csrf })
    const back = await clickThroughConsent(start.headers.get('location') ?? '', 'cancel')
    const res = await c.request(`${back.pathname}${back.search}`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('You cancelled the Facebook sign-in')
  })

  it('connects an X account after its settings, and one already watched straight away', async () => {
    const c = await admin()
    const start = await c.post('/audit/accounts/x/start', { _csrf: c.csrf })
    expect(start.status).toBe(303)
    const back = await clickThroughConsent(start.headers.get('location') ?? '')
    const cb = await c.request(`${back.pathname}${back.search}`)
    expect(cb.status).toBe(303)
    const settings = cb.headers.get('location') ?? ''
    const form = await (await c.request(settings)).text()
    expect(form).toContain('@cllr_omar')
    expect(form).toContain('value="cllr-omar-x"')
    const flow = new URL(settings, 'http://localhost').searchParams.get('flow') ?? ''
    const fields = {
      _csrf: c.csrf,
      flow,
      id: 'cllr-omar-x',
      name: 'Cllr Omar on X',
      owner: 'Omar',
      channel: 'C0OMAR001',
      moderators: '',
    }
    const bad = await c.post('/audit/accounts/x/settings', fields)
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain(
      'Moderators (review.moderators): name at least one Slack user',
    )
    const ok = await c.post('/audit/accounts/x/settings', { ...fields, moderators: 'U0OMAR001' })
    expect(ok.headers.get('location')).toBe('/audit/accounts?connected=cllr-omar-x')
    const tokens = await t.db.query<{ kind: string }>(
      'select kind from account_token where account_id = $1 order by kind',
      ['cllr-omar-x'],
    )
    expect(tokens.map((r) => r.kind)).toEqual(['access', 'refresh'])

    // connecting it again: no settings asked, the new tokens are stored
    const again = await c.post('/audit/accounts/x/start', { _csrf: c.csrf })
    const back2 = await clickThroughConsent(again.headers.get('location') ?? '')
    const cb2 = await c.request(`${back2.pathname}${back2.search}`)
    expect(cb2.headers.get('location')).toBe('/audit/accounts?connected=cllr-omar-x')
    const events = await eventsForSubject(t.db, 'account.cllr-omar-x')
    expect(events.map((e) => e.reason)).toEqual([
      'X account @cllr_omar connected',
      'X account @cllr_omar reconnected',
    ])
  })

  it('says in plain words how each token is, and where it comes from', async () => {
    await saveConnectedAccount(
      t.db,
      { ...YAML_ACCOUNT, id: 'cllr-dying', pageId: '100000000000990', tokenEnv: undefined },
      'test',
    )
    await saveToken(t.db, keyring!, {
      accountId: 'cllr-dying',
      kind: 'page',
      secret: 'EAAP-dying',
      expiresAt: new Date(clock.getTime() + 5.5 * 86_400_000),
    })
    await saveConnectedAccount(
      t.db,
      { ...YAML_ACCOUNT, id: 'cllr-broken', pageId: '100000000000991', tokenEnv: undefined },
      'test',
    )
    await saveToken(t.db, keyring!, { accountId: 'cllr-broken', kind: 'page', secret: 'EAAP-x' })
    await recordTokenCheck(t.db, 'cllr-broken', 'page', {
      status: 'failing',
      problem: 'Error validating access token: The user has not authorized application (code 190)',
    })
    const row = async (c: Client, id: string) => {
      const html = await (await c.request('/audit/accounts')).text()
      return (
        new RegExp(`<tr class="govuk-table__row" data-account="${id}">([\\s\\S]*?)</tr>`).exec(
          html,
        )?.[1] ?? ''
      )
    }
    const c = new Client(app({}, []))
    await c.signIn('admin')
    expect(await row(c, 'cllr-dying')).toContain('Expires in 5 days')
    expect(await row(c, 'cllr-broken')).toContain(
      'Not working: Error validating access token: The user has not authorized application (code 190)',
    )
    const yaml = await row(c, 'cllr-yaml')
    expect(yaml).toContain('No token: connect it')
    expect(yaml).toContain('YAML file')
    const withEnv = new Client(app({}, ['cllr-yaml']))
    await withEnv.signIn('admin')
    const fromEnv = await row(withEnv, 'cllr-yaml')
    expect(fromEnv).toContain('environment variable')
    // a token from the environment has not been seen to work until the first check
    expect(fromEnv).toContain('Not checked yet')
    expect(fromEnv).not.toContain('Working')
    expect(await row(withEnv, 'cllr-dying')).toContain('Token from stored')
  })

  it('names the variable to set instead of a Connect button that cannot work', async () => {
    const c = await admin({ keyring: null, env: env({ FACEBOOK_APP_ID: '', X_CLIENT_ID: '' }) })
    const html = await (await c.request('/audit/accounts')).text()
    expect(html).not.toContain('Connect a Facebook Page</button>')
    expect(html).toContain(
      'To connect Facebook Pages from here, set TOKEN_ENCRYPTION_KEY and FACEBOOK_APP_ID in the environment',
    )
    expect(html).toContain(
      'To connect X accounts from here, set TOKEN_ENCRYPTION_KEY and X_CLIENT_ID',
    )
    const start = await c.post('/audit/accounts/facebook/start', { _csrf: c.csrf })
    expect(start.status).toBe(400)
    expect(await start.text()).toContain('FACEBOOK_APP_ID')
  })

  it('edits a connected account, naming a wrong field, and records what changed', async () => {
    const c = await admin()
    const bad = await c.post('/audit/accounts/cllr-patel/edit', {
      _csrf: c.csrf,
      name: 'Cllr Priya Patel',
      owner: 'Priya Patel',
      channel: 'C0PATEL01',
      moderators: 'U0PATEL01, priya',
    })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('Moderators (review.moderators): must be a Slack user id')
    const ok = await c.post('/audit/accounts/cllr-patel/edit', {
      _csrf: c.csrf,
      name: 'Cllr Priya Patel',
      owner: 'Priya Patel',
      channel: 'C0PATEL02',
      moderators: 'U0PATEL01, U0PATEL02',
      reply: 'on',
    })
    expect(ok.headers.get('location')).toBe('/audit/accounts?updated=cllr-patel')
    const saved = (await listConnectedAccounts(t.db)).find((a) => a.id === 'cllr-patel')
    expect(saved?.review).toMatchObject({
      channel: 'C0PATEL02',
      moderators: ['U0PATEL01', 'U0PATEL02'],
      replyWithExplanation: true,
    })
    const updated = (await eventsForSubject(t.db, 'account.cllr-patel')).filter(
      (e) => e.type === 'account.updated',
    )
    expect(updated.map((e) => e.meta.changed)).toEqual([
      ['review.channel', 'review.moderators', 'review.replyWithExplanation'],
    ])
    expect(updated[0]?.actor.id).toBe('web/admin')
    expect((await c.request('/audit/accounts/cllr-yaml/edit')).status).toBe(409)
  })

  it('removes an account with a reason, unsubscribes it and keeps its audit history', async () => {
    const seeded = await seedComment(t.db, {
      accountId: 'cllr-patel',
      text: 'useless c*nt',
      decision: 'act',
      categories: ['profanity'],
      at: new Date(clock.getTime() - 60_000).toISOString(),
    })
    const commentEvents = (await eventsForSubject(t.db, seeded.subjectKey)).length
    const c = await admin()
    const confirm = await (await c.request('/audit/accounts/cllr-patel/remove')).text()
    expect(confirm).toContain('Its audit history is kept')
    const noReason = await c.post('/audit/accounts/cllr-patel/remove', {
      _csrf: c.csrf,
      reason: ' ',
    })
    expect(noReason.status).toBe(400)
    expect(await noReason.text()).toContain('Reason:')
    expect(graph.state.oauth.subscribedFields(NEW_PAGE)).toEqual(['feed'])

    const before = notified
    const done = await c.post('/audit/accounts/cllr-patel/remove', {
      _csrf: c.csrf,
      reason: 'stood down',
    })
    expect(done.status).toBe(200)
    const text = await done.text()
    expect(text).toContain('Facebook was told')
    expect(text).toMatch(/Its audit history is kept: [1-9]\d* events? about it stay/)
    expect(graph.state.oauth.subscribedFields(NEW_PAGE)).toEqual([])
    expect(notified).toBeGreaterThan(before)
    expect(
      await t.db.query('select 1 from account_token where account_id = $1', ['cllr-patel']),
    ).toEqual([])
    expect((await eventsForSubject(t.db, seeded.subjectKey)).length).toBe(commentEvents)
    const history = await eventsForSubject(t.db, 'account.cllr-patel')
    expect(history.at(-1)).toMatchObject({ type: 'account.removed', reason: 'stood down' })
    const list = await (await c.request('/audit/accounts')).text()
    expect(list).not.toContain('govuk-table__row" data-account="cllr-patel"')
    expect(list).toContain('data-type="account.removed" data-account="cllr-patel"')
    expect(
      (await c.post('/audit/accounts/cllr-yaml/remove', { _csrf: c.csrf, reason: 'x' })).status,
    ).toBe(409)
  })
})
