import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createFacebookClient } from '../../src/connectors/facebook/client.js'
import {
  debugToken,
  exchangeCode,
  exchangeLongLived,
  FACEBOOK_SCOPE_LIST,
  facebookDialogUrl,
  listModeratablePages,
  subscribePage,
  unsubscribePage,
} from '../../src/connectors/facebook/oauth.js'
import { platformFailure } from '../helpers/rejection.js'
import { clickThroughConsent } from '../simulators/consent-form.js'
import { type GraphSimulator, startGraphSimulator } from '../simulators/graph-sim.js'

const PATEL_PAGE = '100000000000101'
const WARD_GROUP = '100000000000102'
const YAML_PAGE = '100000000000103'
const YAML_TOKEN = 'EAAB-token-from-the-environment-0123'
const CALLBACK = 'https://wardguard.example.gov.uk/audit/accounts/facebook/callback'
const jane = { id: '7001', name: 'Jane Resident' }

let sim: GraphSimulator
let app: { appId: string; appSecret: string; graphUrl: string }

beforeAll(async () => {
  sim = await startGraphSimulator({ pages: { [YAML_PAGE]: YAML_TOKEN } })
  sim.state.addUser({
    id: '9001',
    name: 'Priya Patel',
    pages: [
      {
        id: PATEL_PAGE,
        name: 'Cllr Priya Patel',
        tasks: ['ANALYZE', 'MODERATE', 'CREATE_CONTENT'],
      },
      // an analyst on the ward group: Wardguard could not moderate it with her token
      { id: WARD_GROUP, name: 'Northfield Ward Group', tasks: ['ANALYZE'] },
    ],
  })
  app = { appId: sim.state.oauth.app.id, appSecret: sim.state.oauth.app.secret, graphUrl: sim.url }
})
afterAll(() => sim.stop())
beforeEach(() => {
  sim.requests.length = 0
  sim.state.oauth.accountsPageSize = 25
})

const dialogUrl = (state = 'csrf-state-1', redirectUri = CALLBACK) =>
  facebookDialogUrl({ dialogUrl: sim.url, appId: app.appId, redirectUri, state })

/** signs in through the dialog and returns the code the callback receives */
async function code(redirectUri = CALLBACK): Promise<string> {
  const back = await clickThroughConsent(dialogUrl('s', redirectUri))
  return back.searchParams.get('code') ?? ''
}

describe('connecting a Facebook Page', () => {
  it('goes from the dialog to a subscribed Page whose token hides a comment', async () => {
    const url = dialogUrl('csrf-state-1')
    expect(new URL(url).searchParams.get('scope')?.split(',')).toEqual(FACEBOOK_SCOPE_LIST)
    const page = await (await fetch(url)).text()
    expect(page).toContain('Continue as Priya Patel')

    const back = await clickThroughConsent(url)
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK)
    expect(back.searchParams.get('state')).toBe('csrf-state-1')

    const short = await exchangeCode({
      ...app,
      redirectUri: CALLBACK,
      code: back.searchParams.get('code') ?? '',
    })
    const long = await exchangeLongLived({ ...app, userToken: short.token })
    const days = (long.expiresAt!.getTime() - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(59)
    expect(long.token).not.toBe(short.token)

    const pages = await listModeratablePages({ graphUrl: sim.url, userToken: long.token })
    expect(pages.map((p) => [p.id, p.name])).toEqual([[PATEL_PAGE, 'Cllr Priya Patel']])
    const [patel] = pages
    await subscribePage({ graphUrl: sim.url, pageId: PATEL_PAGE, pageToken: patel!.pageToken })
    expect(sim.state.oauth.subscribedFields(PATEL_PAGE)).toEqual(['feed'])

    const comment = sim.state.seedComment({ pageId: PATEL_PAGE, from: jane, message: 'a comment' })
    const client = createFacebookClient({
      graphUrl: sim.url,
      pageId: PATEL_PAGE,
      pageToken: patel!.pageToken,
    })
    await client.hide(comment.id)
    expect(sim.state.comment(comment.id)?.isHidden).toBe(true)

    // a Page token from a long-lived user token never expires
    const checked = await debugToken({ ...app, token: patel!.pageToken })
    expect(checked).toMatchObject({ valid: true, expiresAt: null, type: 'PAGE' })
    expect(checked.scopes).toContain('pages_manage_engagement')

    await unsubscribePage({ graphUrl: sim.url, pageId: PATEL_PAGE, pageToken: patel!.pageToken })
    expect(sim.state.oauth.subscribedFields(PATEL_PAGE)).toEqual([])
    // secrets never reach the simulator's request log
    expect(JSON.stringify(sim.requests)).not.toContain(app.appSecret)
  })

  it('follows paging through a long list of Pages and keeps only those it can moderate', async () => {
    sim.state.addUser({
      id: '9002',
      name: 'Comms Officer',
      pages: Array.from({ length: 5 }, (_, i) => ({
        id: `20000000000000${i}`,
        name: `Page ${i}`,
        tasks: i % 2 === 0 ? ['MODERATE'] : ['ADVERTISE'],
      })),
    })
    sim.state.oauth.signedIn = '9002'
    sim.state.oauth.accountsPageSize = 2
    try {
      const short = await exchangeCode({ ...app, redirectUri: CALLBACK, code: await code() })
      const pages = await listModeratablePages({ graphUrl: sim.url, userToken: short.token })
      expect(pages.map((p) => p.name)).toEqual(['Page 0', 'Page 2', 'Page 4'])
      expect(sim.requests.filter((r) => r.path.endsWith('/me/accounts'))).toHaveLength(3)
    } finally {
      sim.state.oauth.signedIn = '9001'
    }
  })

  it('refuses a reused code, a wrong redirect_uri, a made-up code and a wrong app secret, clearly', async () => {
    const once = await code()
    await exchangeCode({ ...app, redirectUri: CALLBACK, code: once })
    const reused = await platformFailure(
      exchangeCode({ ...app, redirectUri: CALLBACK, code: once }),
    )
    expect(reused).toMatchObject({ code: 'platform_rejected', retryable: false, platformCode: 100 })
    expect(reused.message).toMatch(/authorization code has been used/)

    const other = await code()
    const elsewhere = await platformFailure(
      exchangeCode({ ...app, redirectUri: 'https://evil.example/cb', code: other }),
    )
    expect(elsewhere.message).toMatch(/redirect_uri is identical/)
    // the code was not spent by the refused attempt
    await expect(
      exchangeCode({ ...app, redirectUri: CALLBACK, code: other }),
    ).resolves.toMatchObject({
      token: expect.any(String),
    })

    const madeUp = await platformFailure(
      exchangeCode({ ...app, redirectUri: CALLBACK, code: 'AQnot-a-code' }),
    )
    expect(madeUp.message).toMatch(/Invalid verification code/)

    const badSecret = await platformFailure(
      exchangeCode({
        ...app,
        appSecret: 'wrong-secret-xyz',
        redirectUri: CALLBACK,
        code: await code(),
      }),
    )
    expect(badSecret).toMatchObject({ code: 'platform_rejected', retryable: false })
    expect(badSecret.message).toMatch(/FACEBOOK_APP_SECRET/)
    expect(badSecret.message).not.toContain('wrong-secret-xyz')
  })

  it('shows an error page for a wrong app id, and sends the person back with an error on Cancel', async () => {
    const wrong = facebookDialogUrl({
      dialogUrl: sim.url,
      appId: '999',
      redirectUri: CALLBACK,
      state: 's',
    })
    const res = await fetch(wrong)
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Invalid App ID')

    const back = await clickThroughConsent(dialogUrl('s-cancel'), 'cancel')
    expect(back.searchParams.get('error')).toBe('access_denied')
    expect(back.searchParams.get('state')).toBe('s-cancel')
    expect(back.searchParams.has('code')).toBe(false)
  })

  it('asks the person to sign in again when the user token has expired', async () => {
    const short = await exchangeCode({ ...app, redirectUri: CALLBACK, code: await code() })
    sim.state.oauth.expireIn(short.token, -1)
    const err = await platformFailure(
      listModeratablePages({ graphUrl: sim.url, userToken: short.token }),
    )
    expect(err).toMatchObject({
      code: 'platform_token_invalid',
      platformCode: 190,
      retryable: false,
    })
    expect(err.message).toMatch(/sign in with Facebook again/)
    expect(err.message).not.toContain(short.token)
  })
})

describe('checking a token (debug_token)', () => {
  it('reports a valid token of a YAML-configured Page as never expiring', async () => {
    expect(await debugToken({ ...app, token: YAML_TOKEN })).toEqual({
      valid: true,
      expiresAt: null,
      dataAccessExpiresAt: null,
      scopes: [],
      type: 'PAGE',
    })
  })

  it('reports when a token will expire', async () => {
    const short = await exchangeCode({ ...app, redirectUri: CALLBACK, code: await code() })
    sim.state.oauth.expireIn(short.token, 3 * 86_400)
    const checked = await debugToken({ ...app, token: short.token })
    expect(checked.valid).toBe(true)
    const days = (checked.expiresAt!.getTime() - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(2.9)
    expect(days).toBeLessThan(3.1)
  })

  it('reports an invalidated Page token as invalid with Graph’s reason, and the Page client then fails', async () => {
    const token = 'EAAB-page-token-about-to-die-4567'
    sim.state.addPage('100000000000104', token)
    sim.state.oauth.adopt(token, '100000000000104')
    sim.state.oauth.invalidate(token)
    const checked = await debugToken({ ...app, token })
    expect(checked.valid).toBe(false)
    expect(checked.problem).toMatch(/changed their password.*\(code 190\/460\)/)

    const comment = sim.state.seedComment({ pageId: '100000000000104', from: jane, message: 'x' })
    const client = createFacebookClient({
      graphUrl: sim.url,
      pageId: '100000000000104',
      pageToken: token,
    })
    const err = await platformFailure(client.hide(comment.id))
    expect(err).toMatchObject({ code: 'platform_token_invalid', platformCode: 190 })
  })

  it('reports a token Graph has never seen as invalid, and a wrong app secret as a configuration error', async () => {
    const unknown = await debugToken({ ...app, token: 'EAAnever-issued' })
    expect(unknown).toMatchObject({
      valid: false,
      expiresAt: null,
      problem: expect.stringMatching(/Invalid OAuth/),
    })
    const err = await platformFailure(
      debugToken({ ...app, appSecret: 'not-the-secret', token: YAML_TOKEN }),
    )
    expect(err).toMatchObject({ code: 'platform_rejected', retryable: false })
    expect(err.message).toMatch(/FACEBOOK_APP_ID and FACEBOOK_APP_SECRET/)
    expect(err.message).not.toContain('not-the-secret')
  })
})
