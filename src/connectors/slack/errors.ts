import { webApi } from '@slack/bolt'
import { AppError, type ErrorCode } from '../../errors.js'

/**
 * A Slack Web API call failed. @NOTE PlatformError is typed for facebook|x only, so Slack gets
 * its own AppError subclass carrying the same retry hints the review queue reads.
 */
export class SlackApiError extends AppError {
  name = 'SlackApiError'
  readonly method: string
  /** Slack's own error string (`channel_not_found`), or null for transport failures */
  readonly slackError: string | null
  readonly retryAfterMs: number | null

  constructor(
    code: ErrorCode,
    method: string,
    opts: { slackError?: string | null; retryAfterMs?: number | null; cause?: unknown },
  ) {
    const retryable = code === 'platform_throttled' || code === 'platform_unavailable'
    const detail = opts.slackError ? `: ${opts.slackError}` : ''
    super(code, `slack ${method} failed (${code}${detail})`, { retryable, cause: opts.cause })
    this.method = method
    this.slackError = opts.slackError ?? null
    this.retryAfterMs = opts.retryAfterMs ?? null
  }
}

const tokenErrors = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
])
const forbiddenErrors = new Set([
  'missing_scope',
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'ekm_access_denied',
])
const goneErrors = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed'])
const transientErrors = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
])

function codeForPlatformError(slackError: string): ErrorCode {
  if (slackError === 'ratelimited') return 'platform_throttled'
  if (tokenErrors.has(slackError)) return 'platform_token_invalid'
  if (forbiddenErrors.has(slackError)) return 'platform_forbidden'
  if (goneErrors.has(slackError)) return 'platform_object_gone'
  if (transientErrors.has(slackError)) return 'platform_unavailable'
  return 'platform_rejected'
}

/** Turns whatever the WebClient threw into a SlackApiError; anything unrecognised is a bug and is rethrown. */
export function toSlackApiError(err: unknown, method: string): SlackApiError {
  if (err instanceof SlackApiError) return err
  if (err instanceof webApi.WebAPIRateLimitedError) {
    return new SlackApiError('platform_throttled', method, {
      retryAfterMs: err.retryAfter * 1000,
      cause: err,
    })
  }
  if (err instanceof webApi.WebAPIRequestError) {
    return new SlackApiError('platform_unavailable', method, { cause: err })
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    const code = err.statusCode >= 500 ? 'platform_unavailable' : 'platform_rejected'
    return new SlackApiError(code, method, { slackError: `http_${err.statusCode}`, cause: err })
  }
  if (err instanceof webApi.WebAPIPlatformError) {
    const slackError = err.data.error
    return new SlackApiError(codeForPlatformError(slackError), method, { slackError, cause: err })
  }
  // @NOTE with rejectRateLimitedCalls, a 429 whose Retry-After is missing or unreadable surfaces
  // as a plain Error from @slack/web-api; it is still a throttle, just without a hint
  if (err instanceof Error && err.message.startsWith('Retry header did not contain')) {
    return new SlackApiError('platform_throttled', method, { cause: err })
  }
  throw err
}
