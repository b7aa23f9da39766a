import { randomBytes } from 'node:crypto'

/**
 * The Graph simulator's Facebook Login world: the app, people with the Pages they have tasks
 * on, dialog codes, and every token it minted (user and Page), with controls for tests.
 */

export type GraphSimApp = { id: string; secret: string; name: string; redirectUris?: string[] }

export type GraphSimUserPage = { id: string; name: string; tasks: string[] }

export type GraphSimUser = { id: string; name: string; pages: GraphSimUserPage[] }

export type GraphTokenProblem = { code: number; subcode?: number; message: string }

export type GraphSimToken = {
  token: string
  type: 'USER' | 'PAGE'
  appId: string
  userId: string
  pageId?: string
  scopes: string[]
  /** Unix seconds; 0 = never */
  expiresAt: number
  dataAccessExpiresAt: number
  issuedAt: number
  longLived: boolean
  invalid?: GraphTokenProblem
}

type Code = {
  appId: string
  redirectUri: string
  userId: string
  scopes: string[]
  expiresAt: number
  used: boolean
}

const DAY = 86_400
export const SHORT_LIVED_SECONDS = 2 * 3_600
export const LONG_LIVED_SECONDS = 60 * DAY

export type GraphOAuthState = ReturnType<typeof createGraphOAuthState>

export function createGraphOAuthState(
  ensurePage: (id: string, name: string) => void,
  app: GraphSimApp = { id: '4242424242', secret: 'sim-app-secret-0123456789', name: 'Wardguard' },
) {
  const users = new Map<string, GraphSimUser>()
  const tokens = new Map<string, GraphSimToken>()
  const codes = new Map<string, Code>()
  /** pageId → appId → subscribed fields */
  const subscriptions = new Map<string, Map<string, string[]>>()
  /** `${userToken}/${pageId}` → the Page token handed out for it */
  const pageTokenFor = new Map<string, string>()
  const now = () => Math.floor(Date.now() / 1000)

  const oauth = {
    app,
    users,
    tokens,
    codes,
    /** who is signed in to the simulated facebook.com; default the first user added */
    signedIn: null as string | null,
    /** answer the dialog with a redirect at once instead of the "Continue as" page */
    autoApprove: false,
    /** permissions the person unticks in the dialog: requested but not granted */
    declinedScopes: new Set<string>(),
    /** how many Pages /me/accounts returns per page of results */
    accountsPageSize: 25,
    addUser(user: GraphSimUser): GraphSimUser {
      users.set(user.id, user)
      for (const page of user.pages) ensurePage(page.id, page.name)
      oauth.signedIn ??= user.id
      return user
    },
    currentUser(): GraphSimUser | null {
      return oauth.signedIn ? (users.get(oauth.signedIn) ?? null) : null
    },
    issueCode(c: Omit<Code, 'expiresAt' | 'used'>): string {
      const code = `AQ${randomBytes(24).toString('base64url')}`
      codes.set(code, { ...c, expiresAt: now() + 600, used: false })
      return code
    },
    mint(t: Omit<GraphSimToken, 'token' | 'issuedAt' | 'dataAccessExpiresAt'>): GraphSimToken {
      const token: GraphSimToken = {
        ...t,
        token: `EAA${t.type === 'PAGE' ? 'P' : 'U'}${randomBytes(30).toString('base64url')}`,
        issuedAt: now(),
        dataAccessExpiresAt: now() + 90 * DAY,
      }
      tokens.set(token.token, token)
      return token
    },
    /** the Page token a user token gets for a Page (stable per user token, like Graph) */
    pageToken(user: GraphSimToken, pageId: string): GraphSimToken {
      const key = `${user.token}/${pageId}`
      const known = pageTokenFor.get(key)
      const existing = known ? tokens.get(known) : undefined
      if (existing) return existing
      const minted = oauth.mint({
        type: 'PAGE',
        appId: user.appId,
        userId: user.userId,
        pageId,
        scopes: user.scopes,
        // @NOTE a Page token from a long-lived user token never expires; else it dies with it
        expiresAt: user.longLived ? 0 : user.expiresAt,
        longLived: user.longLived,
      })
      pageTokenFor.set(key, minted.token)
      return minted
    },
    /** why a token cannot be used now, or null when it can (or is not one we minted) */
    problem(token: string): GraphTokenProblem | null {
      const t = tokens.get(token)
      if (!t) return null
      if (t.invalid) return t.invalid
      if (t.expiresAt > 0 && t.expiresAt <= now()) {
        return {
          code: 190,
          subcode: 463,
          message: `Error validating access token: Session has expired on ${new Date(t.expiresAt * 1000).toUTCString()}.`,
        }
      }
      return null
    },
    /** a minted token that is usable now */
    valid(token: string | null): GraphSimToken | null {
      if (!token) return null
      const t = tokens.get(token)
      return t && !oauth.problem(token) ? t : null
    },
    /**
     * Registers a token the test seeded itself (a Page's own token from addPage) so the
     * controls below work on it too.
     */
    adopt(token: string, pageId: string): GraphSimToken {
      const known = tokens.get(token)
      if (known) return known
      const adopted: GraphSimToken = {
        token,
        type: 'PAGE',
        appId: app.id,
        userId: '0',
        pageId,
        scopes: [],
        expiresAt: 0,
        dataAccessExpiresAt: 0,
        issuedAt: now(),
        longLived: true,
      }
      tokens.set(token, adopted)
      return adopted
    },
    // ---- controls for tests ----
    /** the token expires in `seconds` (debug_token shows it; after that, Graph answers 190) */
    expireIn(token: string, seconds: number): void {
      const t = tokens.get(token)
      if (!t) throw new Error('expireIn: not a token the simulator knows (adopt it first)')
      t.expiresAt = now() + seconds
    },
    /** the token stops working: debug_token says is_valid false, calls answer 190 */
    invalidate(
      token: string,
      problem: GraphTokenProblem = {
        code: 190,
        subcode: 460,
        message:
          'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
      },
    ): void {
      const t = tokens.get(token)
      if (!t) throw new Error('invalidate: not a token the simulator knows (adopt it first)')
      t.invalid = problem
    },
    /** the fields the app is subscribed to on a Page ([] when not subscribed) */
    subscribedFields(pageId: string, appId = app.id): string[] {
      return subscriptions.get(pageId)?.get(appId) ?? []
    },
    subscriptions,
    setSubscription(pageId: string, appId: string, fields: string[] | null): void {
      const apps = subscriptions.get(pageId) ?? new Map<string, string[]>()
      if (fields) apps.set(appId, fields)
      else apps.delete(appId)
      subscriptions.set(pageId, apps)
    },
  }
  return oauth
}
