import type { Hono } from 'hono'
import type { Env } from '../config/env.js'
import { createReviewApp, type ReviewApp } from '../connectors/slack/review-app.js'
import { serviceLogger } from '../logger.js'
import type { RefreshRequest, ReviewRequest } from './messages.js'
import { createReviewDeps, type ReviewDecisionDeps } from './review-decisions.js'
import { refreshReview } from './review-refresh.js'
import { runReview } from './review-stage.js'

export type SlackReview = {
  /** HTTP mode: mounted at /slack, so Slack posts to /slack/events */
  routes: Hono | null
  postReview(req: ReviewRequest): Promise<void>
  refreshReview(req: RefreshRequest): Promise<void>
  /** the Web API client, for the web desk to update a review message it decided first */
  client: ReviewApp['client']
  stop(): Promise<void>
}

/**
 * Slack review when SLACK_BOT_TOKEN is set; null otherwise, and review items then wait in
 * their queue. @NOTE Slack being down at boot must not stop moderation: start() is retried in
 * the background while posts fail with retryable errors and wait in the queue.
 */
export async function startSlackReview(
  env: Env,
  deps: ReviewDecisionDeps,
): Promise<SlackReview | null> {
  if (!env.SLACK_BOT_TOKEN) return null
  const review: ReviewApp = createReviewApp({
    token: env.SLACK_BOT_TOKEN,
    slackApiUrl: env.SLACK_API_URL,
    deps: createReviewDeps(deps),
    ...(env.SLACK_APP_TOKEN
      ? { socketMode: { appToken: env.SLACK_APP_TOKEN } }
      : { signingSecret: env.SLACK_SIGNING_SECRET }),
  })
  let retry: NodeJS.Timeout | null = null
  const start = async (): Promise<void> => {
    try {
      await review.start()
      serviceLogger.info({ socketMode: Boolean(env.SLACK_APP_TOKEN) }, 'slack review connected')
    } catch (err) {
      serviceLogger.warn({ err: (err as Error).message }, 'slack not reachable; retrying in 30 s')
      retry = setTimeout(() => void start(), 30_000)
      retry.unref()
    }
  }
  await start()
  return {
    routes: review.receiver ? (review.receiver.routes() as unknown as Hono) : null,
    postReview: (req) => runReview(req, { ...deps, post: (item) => review.postReviewItem(item) }),
    refreshReview: (req) =>
      refreshReview(req, {
        ...deps,
        update: (at, item) => review.refreshReviewMessage(at, item),
      }),
    client: review.client,
    stop: async () => {
      if (retry) clearTimeout(retry)
      await review.stop()
    },
  }
}
