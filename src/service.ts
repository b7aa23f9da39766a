import { mkdirSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'
import path from 'node:path'
import { type ServerType, serve } from '@hono/node-server'
import type { Redis } from 'ioredis'
import pTimeout from 'p-timeout'
import { notifyAccountsChanged } from './accounts/changes.js'
import { checkKeyring, type Keyring, keyringFromEnv } from './accounts/index.js'
import type { Onboarding } from './accounts/onboarding.js'
import { TokenChecker } from './accounts/token-check.js'
import type { Db } from './audit/index.js'
import { migrated, openDatabase } from './audit/index.js'
import { lockStore } from './audit/store-lock.js'
import type { Config } from './config/load.js'
import { ConfigError } from './errors.js'
import { createHttpApp } from './http/app.js'
import { createMetrics, type Metrics } from './http/metrics.js'
import { httpLogger, serviceLogger, setLogLevel } from './logger.js'
import { loadPolicy } from './moderation/index.js'
import { Pipeline, type PipelineOptions } from './pipeline/pipeline.js'
import { startWorkersThread, type WorkersThread } from './pipeline/workers-thread.js'
import { createRedis } from './queue/connection.js'
import { ManagedRedis } from './queue/redis-server.js'
// web audit app (issue 6)
import {
  createWebRoutes,
  resolveSessionSecret,
  startRetention,
  type WebDeps,
  webAccountsFrom,
  webNotFound,
} from './web/index.js'

export type ServiceRole = 'web' | 'worker' | 'all'

/** Something started that must be stopped, in reverse order of starting. */
type Stoppable = { name: string; stop: () => Promise<void> }

export type ServiceOptions = {
  role?: ServiceRole
  /** tests: listen on port 0 and read `service.url` */
  port?: number
  /** tests and the demo: platform clients, review poster, sweep timing */
  pipeline?: Partial<
    Pick<PipelineOptions, 'makeClient' | 'postReview' | 'sweepIntervalMs' | 'staleAfterMs'>
  >
  /** the workers thread: the main thread's database (PGlite, by a port) and its metrics */
  db?: Db
  metrics?: Metrics
}

/**
 * The running service: Redis (its own or REDIS_URL), the audit store (PGlite or Postgres), the
 * queues and workers, and the HTTP server. It is the one class with a lifecycle at the top;
 * everything it holds is built here and torn down by stop() in reverse order.
 */
export class WardguardService {
  readonly config: Config
  readonly role: ServiceRole
  readonly metrics: Metrics
  url = ''
  redis!: Redis
  redisUrl = ''
  db!: Db
  /** null when TOKEN_ENCRYPTION_KEY is unset: accounts cannot be connected from the web app then */
  keyring: Keyring | null = null
  pipeline!: Pipeline
  /** worker roles only: the token check (tests call its runOnce) */
  tokenChecker: TokenChecker | null = null

  /** WORKERS=thread: the thread the moderate and act workers run on (issue 16) */
  workersThread: WorkersThread | null = null
  private readonly stack: Stoppable[] = []
  private stopping: Promise<void> | null = null

  private constructor(config: Config, role: ServiceRole, metrics?: Metrics) {
    this.config = config
    this.role = role
    this.metrics = metrics ?? createMetrics()
  }

  static async start(config: Config, opts: ServiceOptions = {}): Promise<WardguardService> {
    const role = opts.role ?? 'all'
    if (role !== 'all' && !config.env.DATABASE_URL && !opts.db) {
      throw new ConfigError(
        `--role ${role}: separate web and worker processes need DATABASE_URL (Postgres); the embedded PGlite store lives inside one process, so run --role all without it`,
      )
    }
    const service = new WardguardService(config, role, opts.metrics)
    if (role === 'worker') lowerPriority(config.env.WORKER_NICE)
    try {
      await service.boot(opts)
    } catch (err) {
      await service.stop()
      throw err
    }
    return service
  }

  private async boot(opts: ServiceOptions): Promise<void> {
    const { env } = this.config
    setLogLevel(env.LOG_LEVEL)
    const dataDir = path.resolve(env.DATA_DIR)
    mkdirSync(dataDir, { recursive: true })

    if (env.REDIS_URL) {
      this.redisUrl = env.REDIS_URL
    } else {
      const managed = new ManagedRedis({ dataDir, binary: env.REDIS_SERVER_BIN })
      await managed.start()
      this.redisUrl = managed.local
      this.stack.push({ name: 'redis-server', stop: () => managed.stop() })
    }
    const redis = createRedis(this.redisUrl)
    this.redis = redis
    this.stack.push({ name: 'redis', stop: () => quitRedis(redis) })
    await redis.ping()

    // @NOTE a database handed in (the workers thread's) was opened and migrated by its owner
    const db = opts.db ?? (await this.openStore(opts, dataDir))
    this.db = db
    this.stack.push({ name: 'audit store', stop: () => db.close() })
    // @NOTE a wrong or missing key is found here, before anything acts with a token it cannot open
    const keyring = keyringFromEnv(env)
    await checkKeyring(db, keyring)
    this.keyring = keyring

    const pipeline = new Pipeline({
      config: this.config,
      redis,
      db,
      metrics: this.metrics,
      policy: loadPolicy(env.WARDGUARD_POLICY, { modelPath: env.WARDGUARD_MODEL }),
      keyring,
      ...opts.pipeline,
    })
    this.pipeline = pipeline
    this.stack.push({ name: 'pipeline', stop: () => pipeline.stop() })
    await pipeline.loadAccounts()
    await pipeline.connectReview()
    if (this.onThread(opts)) {
      // with PGlite it started before anything here needed the store
      if (!this.workersThread) await this.startWorkersThread(null)
    } else if (this.role !== 'web') {
      pipeline.startWorkers()
      // web audit app (issue 6): the daily retention purge runs with the workers
      const retention = startRetention({
        db,
        rules: { allowedDays: env.RETENTION_ALLOWED_DAYS, removedDays: env.RETENTION_REMOVED_DAYS },
        // issue 13: the purged text goes from the Slack review messages too
        onPurged: (keys, eventId) => pipeline.followUps.refresh(keys, eventId),
      })
      this.stack.push({ name: 'retention', stop: () => retention.stop() })
      // issue 7: the token check (daily debug_token, X refresh every 5 minutes) runs with the workers
      const tokenChecker = new TokenChecker({
        ob: this.onboarding(),
        redis,
        accounts: pipeline.accounts,
        envTokens: this.config.secrets.accountTokens,
        followUps: pipeline.followUps,
      })
      tokenChecker.start()
      this.tokenChecker = tokenChecker
      this.stack.push({ name: 'token check', stop: () => tokenChecker.stop() })
    }

    if (this.role !== 'worker') await this.listen(opts.port ?? env.PORT)
    serviceLogger.info(
      {
        role: this.role,
        url: this.url || null,
        accounts: pipeline.accounts.all().length,
        // @NOTE said of one process only: a worker (process or thread) runs its workers itself
        ...(this.role === 'all' ? { workers: this.workersThread ? 'thread' : 'inline' } : {}),
      },
      'wardguard started',
    )
  }

  /**
   * The audit store, opened and migrated. @NOTE with the embedded store and workers on their own
   * thread (the default), that thread opens PGlite: the act stage's writes then cross no thread,
   * and this thread reaches the store by a port. This process holds the store's lock, so it is
   * started first.
   */
  private async openStore(opts: ServiceOptions, dataDir: string): Promise<Db> {
    const { env } = this.config
    const pgliteDir = path.join(dataDir, 'pglite')
    if (!env.DATABASE_URL && this.onThread(opts)) {
      const lock = lockStore(pgliteDir)
      this.stack.push({ name: 'audit store lock', stop: async () => lock.release() })
      const thread = await this.startWorkersThread({ dataDir: pgliteDir })
      return thread.db as Db
    }
    return migrated(
      await openDatabase(
        env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: pgliteDir, thread: true },
      ),
    )
  }

  private async startWorkersThread(store: { dataDir: string } | null): Promise<WorkersThread> {
    const thread = await startWorkersThread({
      config: { ...this.config, env: { ...this.config.env, REDIS_URL: this.redisUrl } },
      store,
      metrics: this.metrics,
      stopBudgetMs: STOP_BUDGET_MS - 3_000,
    })
    this.workersThread = thread
    this.stack.push({ name: 'workers thread', stop: () => thread.stop() })
    return thread
  }

  /**
   * One process runs its workers on a thread of their own unless WORKERS=inline. @NOTE test
   * doubles for the platform clients or the review poster are functions, which cannot cross to
   * another thread: a service given them keeps its workers inline.
   */
  private onThread(opts: ServiceOptions): boolean {
    const doubles = opts.pipeline && Object.keys(opts.pipeline).length > 0
    return this.role === 'all' && this.config.env.WORKERS === 'thread' && !doubles
  }

  /** What connecting, removing and checking accounts need from the running service. */
  private onboarding(): Onboarding {
    return {
      db: this.db,
      keyring: this.keyring,
      notify: () => notifyAccountsChanged(this.redis),
      env: this.config.env,
      yamlAccounts: this.config.file.accounts,
    }
  }

  private async listen(port: number): Promise<void> {
    const { env } = this.config
    // web audit app (issue 6)
    const webDeps: WebDeps = {
      db: this.db,
      accounts: () => webAccountsFrom(this.pipeline.accounts.all()),
      council: this.config.file.council,
      sessionSecret: resolveSessionSecret(
        { SESSION_SECRET: env.SESSION_SECRET },
        path.resolve(env.DATA_DIR),
      ),
      publicUrl: env.PUBLIC_URL,
      trustProxy: env.TRUST_PROXY,
      hashConcurrency: env.SIGNIN_HASH_CONCURRENCY,
      failedJobs: () => this.pipeline.failedJobs(),
      // issue 14: the review queue and actions on the web, through Slack's decide()
      review: this.pipeline.deskReview(),
      // issue 17: a switch to a shadow run's candidate reaches every process's accounts
      enginesChanged: () => notifyAccountsChanged(this.redis),
      // issue 17: "Send to review" on an allowed comment posts it to Slack review
      requestReview: async ({ accountId, subjectKey, causedBy }) => {
        const runtime = this.pipeline.accounts.byId(accountId)
        if (!runtime) throw new Error(`no account ${accountId}`)
        await this.pipeline.followUps.review({
          v: 1,
          platform: runtime.platform,
          accountId: runtime.platformId,
          subjectKey,
          causedBy,
          kind: 'comment',
          urgent: false,
        })
      },
      // issue 7: the Accounts pages connect, edit and remove accounts
      onboarding: {
        ob: this.onboarding(),
        envTokenAccounts: new Set(
          [...this.config.secrets.accountTokens].filter(([, t]) => t).map(([id]) => id),
        ),
      },
    }
    const app = createHttpApp({
      logger: httpLogger,
      metrics: this.metrics,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      checks: [
        { name: 'redis', check: async () => void (await this.redis.ping()) },
        { name: 'audit_store', check: async () => void (await this.db.query('select 1')) },
      ],
      collectQueueMetrics: () => this.pipeline.collectQueueMetrics(),
      failedJobs: async () => (await this.pipeline.failedJobs(1)).byQueue,
      metricsToken: env.METRICS_TOKEN,
      hsts: env.PUBLIC_URL?.startsWith('https:') ?? false,
      mounts: [
        ...this.pipeline.webhookRoutes(),
        // web audit app (issue 6)
        ['/', createWebRoutes(webDeps)],
      ],
      // issue 14: a browser gets a page for an unknown address
      notFound: webNotFound(webDeps),
    })
    const server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port, hostname: env.HOST }, () => resolve(s))
      s.once('error', reject)
    })
    const address = server.address()
    const boundPort = typeof address === 'object' && address ? address.port : port
    this.url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${boundPort}`
    this.stack.push({ name: 'http', stop: () => closeServer(server) })
  }

  /** Stops HTTP first (no new work), then workers (they finish in-flight jobs), then stores. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      while (this.stack.length > 0) {
        const item = this.stack.pop() as Stoppable
        try {
          // a stop that waits on a Redis that is still reconnecting would hold shutdown forever:
          // each part gets a budget, then the next part stops regardless
          await pTimeout(item.stop(), {
            milliseconds: STOP_BUDGET_MS,
            message: `did not stop within ${STOP_BUDGET_MS / 1000} s`,
          })
        } catch (err) {
          serviceLogger.warn({ component: item.name, err: (err as Error).message }, 'stop failed')
        }
      }
      serviceLogger.info('wardguard stopped')
    })()
    return this.stopping
  }
}

/**
 * A worker process gives way to the web process on a shared machine: Meta and X want a quick
 * 200, and a moderation job that waits a few milliseconds more loses nothing.
 */
function lowerPriority(nice: number): void {
  try {
    // only ever lower it: a process started with `nice -n 15` stays there
    if (getPriority() >= nice) return
    setPriority(nice)
  } catch (err) {
    serviceLogger.warn({ err: (err as Error).message }, 'could not lower the worker CPU priority')
  }
}

/** How long one part of the service may take to stop before shutdown moves on. */
const STOP_BUDGET_MS = 15_000

function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    // @NOTE keep-alive sockets would hold close() open until they time out
    if ('closeIdleConnections' in server) server.closeIdleConnections()
  })
}

async function quitRedis(redis: Redis): Promise<void> {
  try {
    // @NOTE quit() is queued, not sent, while the connection is reconnecting
    await pTimeout(redis.quit(), { milliseconds: 2_000 })
  } catch {
    redis.disconnect()
  }
}
