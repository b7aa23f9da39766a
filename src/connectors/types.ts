import { PlatformError } from '../errors.js'
import type { CommentEnvelope, Platform, PlatformAction } from '../pipeline/messages.js'

/** Facts about one webhook delivery or poll round, carried next to the comments it held. */
export type IngestDelivery = {
  /** sha256 prefix of the raw delivery (or of the polled ids), for tracing and dedupe */
  deliveryKey: string
  receivedAt: string
}

/**
 * Hands normalised comments to the pipeline. @NOTE it must throw when the comments were not
 * safely queued: webhooks then answer 503 so the platform redelivers, and the poller keeps its
 * cursor so the next round fetches them again.
 */
export type Ingest = (comments: CommentEnvelope[], delivery: IngestDelivery) => Promise<void>

/** Whom an action is aimed at: the comment (hide, delete) or its author (ban, mute, block). */
export type ActionTarget = {
  commentId: string
  authorId: string
  /** reply only: what to post */
  message?: string
}

/** What a successful platform write returns, for the audit trail. */
export type ActionResult = { ok: true; platformRef: string }

/**
 * One account's platform client, as the act stage sees it: one function per action and the
 * list of actions the platform (and, for X, the API tier) allows. Failures throw PlatformError.
 */
export type PlatformClient = {
  readonly platform: Platform
  /** our Facebook Page id or X user id */
  readonly accountId: string
  readonly supportedActions: readonly PlatformAction[]
  perform(action: PlatformAction, target: ActionTarget): Promise<ActionResult>
  /** posts an explanation under the comment, where the platform allows it */
  reply?(commentId: string, message: string): Promise<ActionResult>
  /**
   * Reads whether the comment is hidden now, where the platform can say: the act stage asks
   * before repeating a hide or unhide whose earlier attempt may have reached the platform.
   */
  visibilityOf?(commentId: string): Promise<PlatformVisibility>
  /**
   * How long to wait before calling for this action, from the platform's own rate-limit
   * headers (0: go now, and the slot is taken). See connectors/pacing.ts.
   */
  nextCallInMs?(action: PlatformAction): number
}

export type PlatformVisibility = 'visible' | 'hidden' | 'gone'

/** The error for an action a platform does not offer, with a hint at the one that does. */
export function unsupportedAction(
  platform: Platform,
  action: PlatformAction,
  hint: string,
): PlatformError {
  return new PlatformError('platform_forbidden', `${platform} cannot "${action}": ${hint}`, {
    platform,
    retryable: false,
  })
}
