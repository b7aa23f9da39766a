import type { Onboarding } from '../accounts/onboarding.js'
import type { Db } from '../audit/index.js'
import type { Policy } from '../moderation/index.js'
import type { DeskReview } from '../pipeline/desk-review.js'
import type { FailedJobs } from '../queue/failed-jobs.js'
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

/** What the Accounts pages need to connect, edit and remove accounts (issue 7). */
export type WebOnboarding = {
  ob: Onboarding
  /**
   * ids of the YAML accounts whose tokenEnv variable holds a token, to say where each token
   * comes from. @NOTE only the ids: the tokens themselves never reach the web app
   */
  envTokenAccounts: ReadonlySet<string>
}

export type WebDeps = {
  db: Db
  /** the accounts watched now: read on every request, since accounts are connected and removed while running */
  accounts: () => WebAccount[]
  council: { name: string; contact?: string; safetyContact?: string }
  /** signs session cookies (resolveSessionSecret) */
  sessionSecret: string
  /** the public origin when behind a proxy; forms posted from it pass the origin check */
  publicUrl?: string
  /** Secure cookies: on by default when publicUrl is https or the request came over TLS */
  secureCookies?: boolean
  /** believe X-Forwarded-For / X-Forwarded-Proto from the proxy in front (TRUST_PROXY) */
  trustProxy?: boolean
  /** password checks (scrypt) at once; further sign-ins get a quick 503 (default 2) */
  hashConcurrency?: number
  now?: () => Date
  /** jobs the queues gave up on, listed for admins on the overview (absent: not shown) */
  failedJobs?: () => Promise<FailedJobs>
  /** issue 17: queues a hand-reported comment for Slack review (absent: recorded only) */
  requestReview?: (r: { accountId: string; subjectKey: string; causedBy: string }) => Promise<void>
  /** issue 17: tells every process an account's engine changed (a switch), so they reload */
  enginesChanged?: () => Promise<void>
  /** deciding from the web (the queue, any comment); without it the pages are read-only */
  review?: DeskReview
  /** the Accounts pages; without it they say that accounts cannot be managed from here */
  onboarding?: WebOnboarding
}

export type WebEnv = {
  Variables: {
    session: Session | null
    /** who a read-only API token acts for */
    apiUser: WebUser | null
    /** the council's name, for the page header */
    council: string
  }
}
