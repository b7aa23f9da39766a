import type { Hono } from 'hono'
import type { Redis } from 'ioredis'
import type { Keyring } from '../accounts/index.js'
import type { Db } from '../audit/index.js'
import type { XAccount } from '../config/accounts.js'
import type { Config } from '../config/load.js'
import { createFacebookWebhookRoutes } from '../connectors/facebook/webhook.js'
import type { Ingest } from '../connectors/types.js'
import type { XClient } from '../connectors/x/client.js'
import { createXPoller, type XPoller } from '../connectors/x/poller.js'
import { createXWebhookRoutes } from '../connectors/x/webhook.js'
import type { Metrics } from '../http/metrics.js'
import { connectorLogger } from '../logger.js'
import type { Policy } from '../moderation/index.js'
import { type FailedJobs, readFailedJobs } from '../queue/failed-jobs.js'
import { createQueues, type Queues } from '../queue/queues.js'
import { createWorkers, type Workers } from '../queue/workers.js'
import type { AccountRuntime, ClientFactory } from './accounts.js'
import { makePlatformClient } from './clients.js'
import { createDeskReview, type DeskReview } from './desk-review.js'
import { cachedCompiler, loadEngineSet } from './engines.js'
import { type Mailer, smtpMailer } from './escalation-mail.js'
import { createFollowUps, type FollowUps } from './follow-ups.js'
import { createIngest } from './ingest.js'
import { LiveAccountDirectory } from './live-accounts.js'
import type { ReviewRequest } from './messages.js'
import { type SlackReview, startSlackReview } from './slack-review.js'
import { createStrikeStore, type StrikeStore } from './strikes.js'
import { Sweeper } from './sweep.js'

export type PipelineOptions = {
  config: Config
  redis: Redis
  db: Db
  metrics: Metrics
  policy: Policy
  /** opens tokens stored by the web app or the CLI; null when TOKEN_ENCRYPTION_KEY is unset */
  keyring?: Keyring | null
  /** tests and the demo swap in clients; production builds them from the environment */
  makeClient?: ClientFactory
  postReview?: (req: ReviewRequest) => Promise<void>
  sweepIntervalMs?: number
  staleAfterMs?: number
}

/**
 * The moderation pipeline as one unit: queues, the account directory, the ingest function the
 * webhooks and pollers call, and (for worker roles) the workers, the sweep and the X pollers.
 */
const compileEngine = cachedCompiler()

export class Pipeline {
  readonly queues: Queues
  readonly accounts: LiveAccountDirectory
  readonly followUps: FollowUps
  readonly ingest: Ingest
  readonly strikes: StrikeStore
  private readonly opts: PipelineOptions
  private slack: SlackReview | null = null
  private workers: Workers | null = null
  private sweeper: Sweeper | null = null
  private mailer: Mailer | null = null
  /** account id → its poller and the runtime (client) it polls with */
  private readonly pollers = new Map<string, { runtime: AccountRuntime; poller: XPoller }>()

  constructor(opts: PipelineOptions) {
    this.opts = opts
    this.queues = createQueues(opts.redis)
    this.accounts = new LiveAccountDirectory({
      db: opts.db,
      redis: opts.redis,
      keyring: opts.keyring ?? null,
      yamlAccounts: opts.config.file.accounts,
      envTokens: opts.config.secrets.accountTokens,
      basePolicy: opts.policy,
      makeClient: opts.makeClient ?? makePlatformClient(opts.config.env),
      // issue 17: a switched-to candidate or a shadow run changes an account's engines
      loadEngines: () => loadEngineSet(opts.db, compileEngine),
    })
    this.followUps = createFollowUps(this.queues, {
      escalationRetryMs: opts.config.env.ESCALATION_RETRY_MS,
      reviews: () => ({
        post: this.slack !== null || this.opts.postReview !== undefined,
        refresh: this.slack !== null,
      }),
    })
    this.ingest = createIngest(this.queues, { timeoutMs: opts.config.env.ENQUEUE_TIMEOUT_MS })
    this.strikes = createStrikeStore(opts.redis)
  }

  /** Reads connected accounts and stored tokens, then follows changes made in the web app or CLI. */
  async loadAccounts(): Promise<void> {
    await this.accounts.start()
  }

  /** Connects Slack review (when configured) before routes are mounted and workers start. */
  async connectReview(): Promise<void> {
    if (this.opts.postReview) return
    this.slack = await startSlackReview(this.opts.config.env, {
      db: this.opts.db,
      accounts: this.accounts,
      strikes: this.strikes,
      followUps: this.followUps,
      redis: this.opts.redis,
    })
  }

  /** The web desk's review (issue 14): Slack's decide(), and its message updated when it can. */
  deskReview(): DeskReview {
    return createDeskReview(
      {
        db: this.opts.db,
        accounts: this.accounts,
        strikes: this.strikes,
        followUps: this.followUps,
        redis: this.opts.redis,
      },
      () => this.slack?.client ?? null,
    )
  }

  /** Webhook routers for the HTTP server, only for platforms with accounts that use them. */
  webhookRoutes(): [string, Hono][] {
    const { env } = this.opts.config
    const known = (platform: 'facebook' | 'x') => (id: string) =>
      this.accounts.get(platform, id) !== undefined
    const mounts: [string, Hono][] = []
    if (env.FACEBOOK_APP_SECRET && env.FACEBOOK_VERIFY_TOKEN) {
      mounts.push([
        '/webhooks/facebook',
        createFacebookWebhookRoutes({
          appSecret: env.FACEBOOK_APP_SECRET,
          verifyToken: env.FACEBOOK_VERIFY_TOKEN,
          isKnownPage: known('facebook'),
          ingest: this.ingest,
          logger: connectorLogger,
        }),
      ])
    }
    if (env.X_CONSUMER_SECRET) {
      mounts.push([
        '/webhooks/x',
        createXWebhookRoutes({
          consumerSecret: env.X_CONSUMER_SECRET,
          isKnownAccount: known('x'),
          ingest: this.ingest,
          logger: connectorLogger,
        }),
      ])
    }
    if (this.slack?.routes) mounts.push(['/slack', this.slack.routes])
    return mounts
  }

  startWorkers(): void {
    const { config, redis, db, metrics } = this.opts
    this.mailer = config.env.SMTP_URL ? smtpMailer(config.env.SMTP_URL, config.env.MAIL_FROM) : null
    const strikes = this.strikes
    this.workers = createWorkers({
      connection: redis,
      concurrency: config.env.WORKER_CONCURRENCY,
      lockMs: config.env.WORKER_LOCK_MS,
      actRatePerSecond: config.env.ACT_RATE_PER_SECOND,
      moderate: { db, redis, accounts: this.accounts, strikes, followUps: this.followUps, metrics },
      act: { db, accounts: this.accounts, followUps: this.followUps, metrics },
      postReview: this.opts.postReview ?? this.slack?.postReview,
      refreshReview: this.slack?.refreshReview,
      escalate: {
        db,
        accounts: this.accounts,
        strikes,
        followUps: this.followUps,
        mailer: this.mailer,
        council: config.file.council,
        publicUrl: config.env.PUBLIC_URL ?? null,
      },
    })
    const staleAfterMs = this.opts.staleAfterMs ?? 5 * 60_000
    this.sweeper = new Sweeper(
      { db, accounts: this.accounts, followUps: this.followUps, staleAfterMs },
      this.opts.sweepIntervalMs ?? 60_000,
    )
    this.sweeper.start()
    this.syncPollers()
    this.accounts.onChange(() => this.syncPollers())
  }

  /** One poller per X account that polls; replaced when its client (token) changes. */
  private syncPollers(): void {
    const wanted = new Map<string, AccountRuntime>()
    for (const runtime of this.accounts.all()) {
      if (runtime.account.platform === 'x' && runtime.account.ingest === 'poll')
        wanted.set(runtime.account.id, runtime)
    }
    for (const [id, running] of this.pollers) {
      if (wanted.get(id) === running.runtime) continue
      // @NOTE the cursor is in Redis, so a replaced poller resumes where the old one stopped
      void running.poller.stop().catch(() => {})
      this.pollers.delete(id)
    }
    for (const [id, runtime] of wanted) {
      if (this.pollers.has(id)) continue
      const poller = this.makePoller(runtime)
      poller.start()
      this.pollers.set(id, { runtime, poller })
    }
  }

  private makePoller(runtime: AccountRuntime): XPoller {
    const { config, redis } = this.opts
    const account = runtime.account as XAccount
    const cursorKey = `wg:x-cursor:${account.userId}`
    return createXPoller({
      client: runtime.client as XClient,
      accountId: account.userId,
      username: account.handle ?? null,
      cursor: {
        get: () => redis.get(cursorKey),
        set: async (id) => void (await redis.set(cursorKey, id)),
      },
      ingest: this.ingest,
      intervalMs: config.env.X_POLL_INTERVAL_SECONDS * 1_000,
      logger: connectorLogger,
      onError: (err) =>
        connectorLogger.warn({ account: account.id, err: (err as Error).message }, 'X poll failed'),
    })
  }

  /** Reads job counts per queue into the metrics gauge when /metrics is scraped. */
  async collectQueueMetrics(): Promise<void> {
    for (const queue of this.queues.all()) {
      const counts = await queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'failed',
        'prioritized',
      )
      for (const [state, n] of Object.entries(counts)) {
        this.opts.metrics.queueJobs.set({ queue: queue.name, state }, n)
      }
    }
  }

  /** Jobs BullMQ gave up on, per queue and the most recent ones. */
  failedJobs(limit?: number): Promise<FailedJobs> {
    return readFailedJobs(this.queues.all(), limit)
  }

  /** Pollers and the sweep first (no new work), then workers finish their jobs, then queues. */
  async stop(): Promise<void> {
    await this.accounts.stop()
    await Promise.all([...this.pollers.values()].map((p) => p.poller.stop()))
    this.pollers.clear()
    await this.sweeper?.stop()
    await this.workers?.close()
    await this.slack?.stop()
    this.mailer?.close()
    await this.queues.close()
  }
}
