import type { Hono } from 'hono'
import type { Redis } from 'ioredis'
import type { Db } from '../audit/index.js'
import type { Config } from '../config/load.js'
import { createFacebookWebhookRoutes } from '../connectors/facebook/webhook.js'
import type { Ingest } from '../connectors/types.js'
import type { XClient } from '../connectors/x/client.js'
import { createXPoller, type XPoller } from '../connectors/x/poller.js'
import { createXWebhookRoutes } from '../connectors/x/webhook.js'
import type { Metrics } from '../http/metrics.js'
import { connectorLogger } from '../logger.js'
import type { Policy } from '../moderation/index.js'
import { createQueues, type Queues } from '../queue/queues.js'
import { createWorkers, type Workers } from '../queue/workers.js'
import { type AccountDirectory, type ClientFactory, createAccountDirectory } from './accounts.js'
import { makePlatformClient } from './clients.js'
import { createFollowUps, type FollowUps } from './follow-ups.js'
import { createIngest } from './ingest.js'
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
export class Pipeline {
  readonly queues: Queues
  readonly accounts: AccountDirectory
  readonly followUps: FollowUps
  readonly ingest: Ingest
  readonly strikes: StrikeStore
  private readonly opts: PipelineOptions
  private slack: SlackReview | null = null
  private workers: Workers | null = null
  private sweeper: Sweeper | null = null
  private pollers: XPoller[] = []

  constructor(opts: PipelineOptions) {
    this.opts = opts
    this.queues = createQueues(opts.redis)
    this.accounts = createAccountDirectory({
      accounts: opts.config.file.accounts,
      tokens: opts.config.secrets.accountTokens,
      basePolicy: opts.policy,
      makeClient: opts.makeClient ?? makePlatformClient(opts.config.env),
    })
    this.followUps = createFollowUps(this.queues)
    this.ingest = createIngest(this.queues)
    this.strikes = createStrikeStore(opts.redis)
  }

  /** Connects Slack review (when configured) before routes are mounted and workers start. */
  async connectReview(): Promise<void> {
    if (this.opts.postReview) return
    this.slack = await startSlackReview(this.opts.config.env, {
      db: this.opts.db,
      accounts: this.accounts,
      strikes: this.strikes,
      followUps: this.followUps,
    })
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
    const strikes = this.strikes
    this.workers = createWorkers({
      connection: redis,
      concurrency: config.env.WORKER_CONCURRENCY,
      lockMs: config.env.WORKER_LOCK_MS,
      actRatePerSecond: config.env.ACT_RATE_PER_SECOND,
      moderate: { db, redis, accounts: this.accounts, strikes, followUps: this.followUps, metrics },
      act: { db, accounts: this.accounts, followUps: this.followUps, metrics },
      postReview: this.opts.postReview ?? this.slack?.postReview,
    })
    const staleAfterMs = this.opts.staleAfterMs ?? 5 * 60_000
    this.sweeper = new Sweeper(
      { db, accounts: this.accounts, followUps: this.followUps, staleAfterMs },
      this.opts.sweepIntervalMs ?? 60_000,
    )
    this.sweeper.start()
    this.startPollers()
  }

  private startPollers(): void {
    const { config, redis } = this.opts
    for (const runtime of this.accounts.all()) {
      const { account } = runtime
      if (account.platform !== 'x' || account.ingest !== 'poll') continue
      const cursorKey = `wg:x-cursor:${account.userId}`
      const poller = createXPoller({
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
          connectorLogger.warn(
            { account: account.id, err: (err as Error).message },
            'X poll failed',
          ),
      })
      poller.start()
      this.pollers.push(poller)
    }
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

  /** Pollers and the sweep first (no new work), then workers finish their jobs, then queues. */
  async stop(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.stop()))
    await this.sweeper?.stop()
    await this.workers?.close()
    await this.slack?.stop()
    await this.queues.close()
  }
}
