import type { Db } from '../audit/index.js'
import type { Policy } from '../moderation/index.js'
import type { Session } from './sessions.js'
import type { WebUser } from './users.js'

/** One watched account as the web app shows it. */
export type WebAccount = {
  id: string
  name: string
  platform: 'facebook' | 'x'
  ownerName: string
  ownerEmail?: string
  /** the account's active policy (base with its overrides) */
  policy: Policy
}

export type WebDeps = {
  db: Db
  accounts: WebAccount[]
  council: { name: string; contact?: string; safetyContact?: string }
  /** signs session cookies (resolveSessionSecret) */
  sessionSecret: string
  /** the public origin when behind a proxy; forms posted from it pass the origin check */
  publicUrl?: string
  /** Secure cookies: on by default when publicUrl is https */
  secureCookies?: boolean
  now?: () => Date
}

export type WebEnv = {
  Variables: {
    session: Session | null
    /** who a read-only API token acts for */
    apiUser: WebUser | null
  }
}
