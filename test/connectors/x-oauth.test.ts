import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createXClient } from '../../src/connectors/x/client.js'
import {
  exchangeXCode,
  refreshXToken,
  revokeXToken,
  X_SCOPE_LIST,
  type XOAuthClient,
  xAuthorizeLink,
} from '../../src/connectors/x/oauth.js'
import { platformFailure } from '../helpers/rejection.js'
import { clickThroughConsent } from '../simulators/consent-form.js'
import { startXSimulator, type XSimulator } from '../simulators/x-sim.js'

const ME = '2001'
const CALLBACK = 'https://wardguard.example.gov.uk/audit/accounts/x/callback'

let sim: XSimulator
let x: XOAuthClient
let post: string

beforeAll(async () => {
  sim = await startXSimulator()
  sim.state.addUser({ id: ME, username: 'cllr_patel', name: 'Cllr Priya Patel' })
  sim.state.addUser({ id: '5001', username: 'resident_one' })
  sim.state.oauth.signedIn = ME
  post = sim.state.addTweet({ authorId: ME, text: 'Bin collections move to Tuesday' }).id
  x = {
    apiUrl: sim.url,
    authorizeUrl: `${sim.url}/i/oauth2/authorize`,
    clientId: sim.state.oauth.client.id,
    clientSecret: sim.state.oauth.client.secret!,
  }
})
afterAll(() => sim.stop())
beforeEach(() => {
  sim.requests.length = 0
})

/** authorizes in the simulated x.com and returns the callback's code with its verifier */
async function authorized(o: XOAuthClient = x, scopes?: string[]) {
  const link = xAuthorizeLink({ ...o, redirectUri: CALLBACK, ...(scopes ? { scopes } : {}) })
  const back = await clickThroughConsent(link.url)
  expect(back.searchParams.get('state')).toBe(link.state)
  return { code: back.searchParams.get('code') ?? '', codeVerifier: link.codeVerifier }
}

const hideWith = async (accessToken: string) => {
  const reply = sim.state.addTweet({ authorId: '5001', text: 'a reply', replyTo: post })
  await createXClient({ apiUrl: sim.url, accessToken, accountId: ME, tier: 'basic' }).hideReply(
    reply.id,
  )
  return sim.state.tweet(reply.id)?.hidden
}

describe('connecting an X account', () => {
  it('authorizes with PKCE, gets tokens for the account, and the token hides a reply', async () => {
    const link = xAuthorizeLink({ ...x, redirectUri: CALLBACK, state: 'csrf-x-1' })
    const url = new URL(link.url)
    expect(`${url.origin}${url.pathname}`).toBe(`${sim.url}/i/oauth2/authorize`)
    expect(url.searchParams.get('code_challenge_method')?.toUpperCase()).toBe('S256')
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(X_SCOPE_LIST)
    expect(await (await fetch(link.url)).text()).toContain('Authorize app')

    const back = await clickThroughConsent(link.url)
    expect(back.searchParams.get('state')).toBe('csrf-x-1')
    const tokens = await exchangeXCode({
      ...x,
      code: back.searchParams.get('code') ?? '',
      codeVerifier: link.codeVerifier,
      redirectUri: CALLBACK,
    })
    expect(tokens).toMatchObject({ userId: ME, username: 'cllr_patel' })
    expect(tokens.scopes).toContain('tweet.moderate.write')
    const hours = (tokens.expiresAt.getTime() - Date.now()) / 3_600_000
    expect(hours).toBeGreaterThan(1.9)
    expect(hours).toBeLessThanOrEqual(2)
    expect(await hideWith(tokens.accessToken)).toBe(true)
    expect(JSON.stringify(sim.requests)).not.toContain(link.codeVerifier)
  })

  it('refuses a wrong PKCE verifier, a reused code and a different redirect_uri', async () => {
    const a = await authorized()
    const wrong = await platformFailure(
      exchangeXCode({ ...x, code: a.code, codeVerifier: 'x'.repeat(64), redirectUri: CALLBACK }),
    )
    expect(wrong).toMatchObject({ code: 'platform_rejected', status: 400, retryable: false })
    expect(wrong.message).toMatch(/code_verifier was invalid/)

    await exchangeXCode({ ...x, ...a, redirectUri: CALLBACK })
    const reused = await platformFailure(exchangeXCode({ ...x, ...a, redirectUri: CALLBACK }))
    expect(reused.message).toMatch(/authorization code was invalid/)

    const b = await authorized()
    const elsewhere = await platformFailure(
      exchangeXCode({ ...x, ...b, redirectUri: 'https://evil.example/cb' }),
    )
    expect(elsewhere).toMatchObject({ code: 'platform_rejected' })
  })

  it('works for a public client (no secret), and says to check the credentials for a wrong secret', async () => {
    sim.state.oauth.addClient({ id: 'public-client-id' })
    const pub = { ...x, clientId: 'public-client-id', clientSecret: undefined }
    const a = await authorized(pub)
    await expect(exchangeXCode({ ...pub, ...a, redirectUri: CALLBACK })).resolves.toMatchObject({
      userId: ME,
    })

    const b = await authorized()
    const err = await platformFailure(
      exchangeXCode({ ...x, clientSecret: 'not-the-secret', ...b, redirectUri: CALLBACK }),
    )
    expect(err).toMatchObject({ code: 'platform_rejected', status: 401, retryable: false })
    expect(err.message).toMatch(/X_CLIENT_ID and X_CLIENT_SECRET/)
    expect(err.message).not.toContain('not-the-secret')
  })

  it('refuses to connect without offline access, and revokes the token it was given', async () => {
    const a = await authorized(x, ['tweet.read', 'users.read', 'tweet.moderate.write'])
    const before = sim.state.oauth.tokensOf(ME).length
    const err = await platformFailure(exchangeXCode({ ...x, ...a, redirectUri: CALLBACK }))
    expect(err).toMatchObject({ code: 'platform_forbidden' })
    expect(err.message).toMatch(/offline access/)
    expect(sim.state.oauth.tokensOf(ME)).toHaveLength(before)
  })

  it('shows an error page for an unknown client id, and returns an error on Cancel', async () => {
    const link = xAuthorizeLink({ ...x, clientId: 'nobody', redirectUri: CALLBACK })
    const res = await fetch(link.url)
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('weren’t able to give access')

    const back = await clickThroughConsent(
      xAuthorizeLink({ ...x, redirectUri: CALLBACK }).url,
      'cancel',
    )
    expect(back.searchParams.get('error')).toBe('access_denied')
    expect(back.searchParams.has('code')).toBe(false)
  })
})

describe('keeping an X account connected', () => {
  it('refreshes to a new pair; the old refresh token is then refused and the new access token works', async () => {
    const first = await exchangeXCode({ ...x, ...(await authorized()), redirectUri: CALLBACK })
    const count = sim.state.oauth.refreshCount
    const second = await refreshXToken({ ...x, refreshToken: first.refreshToken })
    expect(second.accessToken).not.toBe(first.accessToken)
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(second).toMatchObject({ userId: ME, username: 'cllr_patel' })
    expect(sim.state.oauth.refreshCount).toBe(count + 1)

    const stale = await platformFailure(refreshXToken({ ...x, refreshToken: first.refreshToken }))
    expect(stale).toMatchObject({ code: 'platform_token_invalid', retryable: false })
    expect(stale.message).toMatch(/reconnect the X account/)
    expect(stale.message).not.toContain(first.refreshToken)
    expect(await hideWith(second.accessToken)).toBe(true)
  })

  it('an expired or revoked access token is refused by the API (reconnect), a refresh still works', async () => {
    const tokens = await exchangeXCode({ ...x, ...(await authorized()), redirectUri: CALLBACK })
    sim.state.oauth.expireIn(tokens.accessToken, -1)
    const expired = await platformFailure(hideWith(tokens.accessToken))
    expect(expired).toMatchObject({ code: 'platform_token_invalid', status: 401 })

    const renewed = await refreshXToken({ ...x, refreshToken: tokens.refreshToken })
    await revokeXToken({ ...x, token: renewed.accessToken, kind: 'access' })
    const revoked = await platformFailure(hideWith(renewed.accessToken))
    expect(revoked).toMatchObject({ code: 'platform_token_invalid' })

    await revokeXToken({ ...x, token: renewed.refreshToken, kind: 'refresh' })
    const gone = await platformFailure(refreshXToken({ ...x, refreshToken: renewed.refreshToken }))
    expect(gone).toMatchObject({ code: 'platform_token_invalid' })
  })
})
