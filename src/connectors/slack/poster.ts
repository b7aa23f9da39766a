import { reviewMessage } from './blocks.js'
import type { Slack } from './decision.js'
import { SlackApiError, toSlackApiError } from './errors.js'
import type { PostedMessage, ReviewItem } from './types.js'

/**
 * Posts one review item to its account's channel. Throws SlackApiError: retryable (with
 * `retryAfterMs` when Slack sent Retry-After) for 429s and outages, so the review queue retries
 * later; the client itself must not retry (`retries: 0`, `rejectRateLimitedCalls: true`).
 */
export async function postReviewItem(
  client: Slack,
  item: ReviewItem,
  now: Date = new Date(),
): Promise<PostedMessage> {
  const message = reviewMessage(item, now)
  let res: Awaited<ReturnType<Slack['chat']['postMessage']>>
  try {
    res = await client.chat.postMessage({
      channel: item.channel,
      ...message,
      // @NOTE no previews of the author's profile or of the comment itself in the channel
      unfurl_links: false,
      unfurl_media: false,
    })
  } catch (err) {
    throw toSlackApiError(err, 'chat.postMessage')
  }
  if (!res.channel || !res.ts) {
    throw new SlackApiError('platform_rejected', 'chat.postMessage', {
      slackError: 'no_ts_in_response',
    })
  }
  return { channel: res.channel, ts: res.ts }
}

/**
 * Rewrites a posted review message to show the item as it is now (its state, the decision, the
 * escalation, the text or its purge). Throws SlackApiError like postReviewItem; a message that
 * is gone (`platform_object_gone`) is for the caller to shrug off.
 */
export async function updateReviewMessage(
  client: Slack,
  at: PostedMessage,
  item: ReviewItem,
  now: Date = new Date(),
): Promise<void> {
  try {
    await client.chat.update({ channel: at.channel, ts: at.ts, ...reviewMessage(item, now) })
  } catch (err) {
    throw toSlackApiError(err, 'chat.update')
  }
}
