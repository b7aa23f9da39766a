import { ApiResponseError } from 'twitter-api-v2'
import { PlatformError } from '../../errors.js'

/** How a 403 reads for each call: X uses 403 for several different refusals. */
export type XForbiddenHint = 'hide' | 'block' | 'other'

const FORBIDDEN_HINTS: Record<XForbiddenHint, string> = {
  hide: 'X only lets an account hide replies in conversations started by its own posts',
  block:
    "blocking through the API needs X's Enterprise tier; mute the author instead (mute works on every tier)",
  other: 'the token lacks the scope for this call, or the app is not enrolled for it',
}

/**
 * Maps twitter-api-v2 errors onto PlatformError. @NOTE the library's errors hold the request
 * (with its Authorization header); only status, X's problem text and the reset time are copied.
 */
export function toXPlatformError(
  err: unknown,
  what: string,
  hint: XForbiddenHint = 'other',
  now: () => number = Date.now,
): PlatformError {
  if (!(err instanceof ApiResponseError)) {
    return new PlatformError('platform_unavailable', `X API unreachable during ${what}`, {
      platform: 'x',
      retryable: true,
    })
  }
  const status = err.code
  const said = problemText(err.data)
  const detail = `X API refused ${what} (HTTP ${status})${said ? `: ${said}` : ''}`
  const base = { platform: 'x' as const, status, cause: { status, title: said } }
  if (status === 429 || err.rateLimitError) {
    const reset = err.rateLimit?.reset
    const retryAfterMs = reset ? Math.max(1_000, reset * 1000 - now()) : null
    return new PlatformError('platform_throttled', detail, {
      ...base,
      retryable: true,
      retryAfterMs,
    })
  }
  if (status === 401) {
    return new PlatformError(
      'platform_token_invalid',
      `${detail}. The X access token is invalid or expired: reconnect the account`,
      { ...base, retryable: false },
    )
  }
  if (status === 403) {
    return new PlatformError('platform_forbidden', `${detail}. ${FORBIDDEN_HINTS[hint]}`, {
      ...base,
      retryable: false,
    })
  }
  if (status === 404 || status === 410) {
    return new PlatformError('platform_object_gone', detail, { ...base, retryable: false })
  }
  if (status >= 500) {
    return new PlatformError('platform_unavailable', detail, { ...base, retryable: true })
  }
  return new PlatformError('platform_rejected', detail, { ...base, retryable: false })
}

/** X's problem JSON (`detail`/`title`) or v1-style `errors[].message`, trimmed. */
function problemText(data: unknown): string {
  if (typeof data !== 'object' || data === null) return ''
  const d = data as { detail?: unknown; title?: unknown; errors?: { message?: unknown }[] }
  const text =
    (typeof d.detail === 'string' && d.detail) ||
    (typeof d.title === 'string' && d.title) ||
    (Array.isArray(d.errors) && typeof d.errors[0]?.message === 'string' && d.errors[0].message) ||
    ''
  return text.slice(0, 300)
}
