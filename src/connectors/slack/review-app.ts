import { App, type Receiver, SocketModeReceiver } from '@slack/bolt'
import { ConfigError } from '../../errors.js'
import { connectorLogger } from '../../logger.js'
import { registerReviewActions } from './actions.js'
import { boltLogger } from './bolt-logger.js'
import { errName, type ReviewEnv, type Slack } from './decision.js'
import { toSlackApiError } from './errors.js'
import { registerHideAll } from './hide-all.js'
import { slackNameLookup } from './names.js'
import { postReviewItem, updateReviewMessage } from './poster.js'
import { HonoReceiver } from './receiver.js'
import { registerExplainSubmissions } from './submissions.js'
import type { PostedMessage, ReviewDeps, ReviewItem } from './types.js'

export type ReviewAppOptions = {
  /** bot token, xoxb-… */
  token: string
  deps: ReviewDeps
  /** SLACK_API_URL; tests point it at the simulator */
  slackApiUrl?: string
  /** HTTP mode: builds a HonoReceiver unless `receiver` is given */
  signingSecret?: string
  receiver?: HonoReceiver
  /** Socket Mode instead of HTTP: no public URL needed */
  socketMode?: { appToken: string }
  now?: () => Date
  /** per Web API call; a hung Slack becomes a retryable error instead of a stuck job */
  requestTimeoutMs?: number
}

export type ReviewApp = {
  app: App
  client: Slack
  /** HTTP mode only: mount `receiver.routes()` at `/slack` */
  receiver: HonoReceiver | null
  postReviewItem(item: ReviewItem): Promise<PostedMessage>
  /** chat.update of a posted message with the item as it is now */
  refreshReviewMessage(at: PostedMessage, item: ReviewItem): Promise<void>
  /** checks the bot token (auth.test), then opens the socket in Socket Mode */
  start(): Promise<void>
  stop(): Promise<void>
}

export function createReviewApp(opts: ReviewAppOptions): ReviewApp {
  const problems = [
    !opts.token && 'SLACK_BOT_TOKEN: required for Slack review',
    !opts.socketMode && !opts.receiver && !opts.signingSecret
      ? 'SLACK_SIGNING_SECRET: required unless SLACK_APP_TOKEN selects Socket Mode'
      : false,
    opts.socketMode && !opts.socketMode.appToken && 'SLACK_APP_TOKEN: must not be empty',
  ].filter((p): p is string => typeof p === 'string')
  if (problems.length) throw new ConfigError(problems)

  const log = connectorLogger.child({ connector: 'slack' })
  const logger = boltLogger(log)
  const now = opts.now ?? (() => new Date())
  const slackApiUrl = opts.slackApiUrl ?? 'https://slack.com/api/'
  const timeout = opts.requestTimeoutMs ?? 10_000
  // @NOTE the review queue owns retries: a 429 or an outage must surface at once, not be retried
  // inside the client for half an hour while the job holds its lock
  const clientOptions = {
    slackApiUrl,
    timeout,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  }

  let http: HonoReceiver | null = null
  let receiver: Receiver
  if (opts.socketMode) {
    receiver = new SocketModeReceiver({
      appToken: opts.socketMode.appToken,
      logger,
      // @NOTE apps.connections.open keeps the Socket Mode client's own retry policy: after a
      // dropped socket it reconnects, and there is no queue to retry for it
      installerOptions: { clientOptions: { slackApiUrl, timeout } },
    })
  } else {
    http = opts.receiver ?? new HonoReceiver({ signingSecret: opts.signingSecret ?? '' })
    receiver = http
  }

  const app = new App({
    token: opts.token,
    receiver,
    logger,
    clientOptions,
    // @NOTE without this, Bolt calls auth.test in the constructor and caches a failure forever;
    // start() runs it instead, where a failure is an error the caller sees
    deferInitialization: true,
    convoStore: false,
  })
  app.error(async (err) => {
    log.error({ err: errName(err) }, 'slack listener failed')
  })
  const env: ReviewEnv = { deps: opts.deps, now, log, names: slackNameLookup(app.client) }
  registerReviewActions(app, env)
  registerExplainSubmissions(app, env)
  registerHideAll(app, env)

  return {
    app,
    client: app.client,
    receiver: http,
    postReviewItem: (item) => postReviewItem(app.client, item, now()),
    refreshReviewMessage: (at, item) => updateReviewMessage(app.client, at, item, now()),
    async start() {
      try {
        await app.init()
      } catch (err) {
        throw toSlackApiError(err, 'auth.test')
      }
      try {
        await app.start()
      } catch (err) {
        throw toSlackApiError(err, 'apps.connections.open')
      }
    },
    async stop() {
      if (receiver instanceof SocketModeReceiver) await receiver.client.disconnect()
      else await app.stop()
    },
  }
}
