import { createHmac, randomBytes } from 'node:crypto'
import { postWithRetries, type WebhookSendResult } from './facebook-webhook-sender.js'
import { v1TweetJson, type XSimState, type XSimTweet } from './x-sim-state.js'

/** An Account Activity `tweet_create_events` body for the subscribed user. */
export function xTweetCreateBody(
  state: XSimState,
  forUserId: string,
  tweets: XSimTweet[],
): Record<string, unknown> {
  return {
    for_user_id: forUserId,
    ...(tweets.some((t) => t.mentions.includes(forUserId)) ? { user_has_blocked: 'false' } : {}),
    tweet_create_events: tweets.map((t) => v1TweetJson(t, state)),
  }
}

function hmac(secret: string, data: string): string {
  return `sha256=${createHmac('sha256', secret).update(data).digest('base64')}`
}

/**
 * POSTs a body signed like X (`x-twitter-webhooks-signature`, base64 HMAC of the raw bytes),
 * retrying non-200 answers as X does (3 times), only faster. `signature: null` sends none.
 */
export async function sendXWebhook(
  url: string,
  body: unknown,
  consumerSecret: string,
  opts: { retries?: number; retryDelayMs?: number; signature?: string | null } = {},
): Promise<WebhookSendResult> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body)
  const signature = opts.signature === undefined ? hmac(consumerSecret, raw) : opts.signature
  return postWithRetries(url, raw, 'x-twitter-webhooks-signature', signature, opts)
}

/** X's CRC check: GET ?crc_token=…, then compare response_token with the expected HMAC. */
export async function xCrcCheck(
  url: string,
  consumerSecret: string,
  crcToken = randomBytes(24).toString('base64url'),
): Promise<{ ok: boolean; status: number; responseToken: string | null }> {
  const target = new URL(url)
  target.searchParams.set('crc_token', crcToken)
  const res = await fetch(target)
  let responseToken: string | null = null
  try {
    const body = (await res.json()) as { response_token?: unknown }
    responseToken = typeof body.response_token === 'string' ? body.response_token : null
  } catch {
    responseToken = null
  }
  return {
    ok: res.status === 200 && responseToken === hmac(consumerSecret, crcToken),
    status: res.status,
    responseToken,
  }
}
