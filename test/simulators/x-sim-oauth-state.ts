import { createHash, randomBytes } from 'node:crypto'

/**
 * The X simulator's OAuth 2.0 world: registered clients, authorization codes bound to their
 * redirect URI and PKCE challenge, and the access and refresh tokens it minted, with controls.
 */

export type XSimClient = { id: string; secret?: string; redirectUris?: string[] }

export type XSimAccessToken = {
  token: string
  clientId: string
  userId: string
  scopes: string[]
  /** ms since epoch */
  expiresAt: number
  revoked: boolean
}

export type XSimRefreshToken = {
  token: string
  clientId: string
  userId: string
  scopes: string[]
  /** refused once used (rotation) or revoked */
  used: boolean
}

type Code = {
  clientId: string
  redirectUri: string
  userId: string
  scopes: string[]
  challenge: string
  method: 'S256' | 'plain'
  expiresAt: number
  used: boolean
}

export const X_ACCESS_SECONDS = 7_200

export type XOAuthState = ReturnType<typeof createXOAuthState>

export function createXOAuthState(
  client: XSimClient = { id: 'c2ltLWNsaWVudC1pZA', secret: 'sim-x-client-secret-0123456789' },
) {
  const clients = new Map<string, XSimClient>([[client.id, client]])
  const codes = new Map<string, Code>()
  const access = new Map<string, XSimAccessToken>()
  const refresh = new Map<string, XSimRefreshToken>()
  const random = (n: number) => randomBytes(n).toString('base64url')

  const oauth = {
    client,
    clients,
    codes,
    access,
    refresh,
    /** who is signed in to the simulated x.com; set by the test (a user id) */
    signedIn: null as string | null,
    autoApprove: false,
    /** how many refresh_token grants succeeded */
    refreshCount: 0,
    addClient(c: XSimClient): XSimClient {
      clients.set(c.id, c)
      return c
    },
    issueCode(c: Omit<Code, 'expiresAt' | 'used'>): string {
      const code = random(32)
      codes.set(code, { ...c, expiresAt: Date.now() + 30_000, used: false })
      return code
    },
    /** whether the verifier answers the code's challenge */
    pkceOk(code: Code, verifier: string): boolean {
      if (!verifier) return false
      const expected =
        code.method === 'plain'
          ? verifier
          : createHash('sha256').update(verifier).digest('base64url')
      return expected === code.challenge
    },
    mintPair(
      clientId: string,
      userId: string,
      scopes: string[],
    ): { access: XSimAccessToken; refresh: XSimRefreshToken | null } {
      const a: XSimAccessToken = {
        token: random(40),
        clientId,
        userId,
        scopes,
        expiresAt: Date.now() + X_ACCESS_SECONDS * 1000,
        revoked: false,
      }
      access.set(a.token, a)
      if (!scopes.includes('offline.access')) return { access: a, refresh: null }
      const r: XSimRefreshToken = { token: random(40), clientId, userId, scopes, used: false }
      refresh.set(r.token, r)
      return { access: a, refresh: r }
    },
    /** the user id an access token acts for, when it is usable now */
    userIdFor(token: string | null): string | null {
      const a = token ? access.get(token) : undefined
      return a && !a.revoked && a.expiresAt > Date.now() ? a.userId : null
    },
    /** the access tokens that work for a user now */
    tokensOf(userId: string): string[] {
      return [...access.values()]
        .filter((a) => a.userId === userId && oauth.userIdFor(a.token))
        .map((a) => a.token)
    },
    // ---- controls for tests ----
    /** the access token expires in `seconds` (after that, calls answer 401) */
    expireIn(token: string, seconds: number): void {
      const a = access.get(token)
      if (!a) throw new Error('expireIn: not an access token the simulator minted')
      a.expiresAt = Date.now() + seconds * 1000
    },
    /** the token (access or refresh) stops working at once, as if the user revoked the app */
    invalidate(token: string): void {
      const a = access.get(token)
      const r = refresh.get(token)
      if (!a && !r) throw new Error('invalidate: not a token the simulator minted')
      if (a) a.revoked = true
      if (r) r.used = true
    },
  }
  return oauth
}
