import { PlatformError } from '../../errors.js'
import { graphUsage } from '../pacing.js'

/** The parts of the SDK's FacebookRequestError we read (the SDK does not export the class). */
type SdkRequestError = {
  name: 'FacebookRequestError'
  status: number | null
  response: {
    code?: number
    error_subcode?: number
    message?: string
    type?: string
    fbtrace_id?: string
  } | null
  headers: Record<string, unknown> | null
}

// 80001: too many calls to this Page (the Pages business-use-case limit)
const THROTTLED = new Set([4, 17, 32, 613, 80001])
const TOKEN_INVALID = new Set([190, 102, 104, 463, 467])
const TRANSIENT = new Set([1, 2])

/**
 * Maps whatever the SDK threw onto our PlatformError. @NOTE the SDK keeps the request URL, with
 * `access_token=` in it, on the error; nothing of it is copied here except a scrubbed message,
 * and the original error is not attached as `cause` (loggers serialise causes).
 */
export function toGraphPlatformError(err: unknown, what: string, token: string): PlatformError {
  if (!isSdkRequestError(err)) {
    // @NOTE a proxy's HTML 502 makes the SDK throw a bare SyntaxError while building its error
    return new PlatformError('platform_unavailable', `Graph API unreachable during ${what}`, {
      platform: 'facebook',
      retryable: true,
    })
  }
  const status = err.status ?? null
  const body = err.response ?? {}
  const code = typeof body.code === 'number' ? body.code : null
  const subcode = typeof body.error_subcode === 'number' ? body.error_subcode : null
  const said = scrub(body.message ?? 'no message', token)
  const detail = `Graph API refused ${what}: ${said}${code === null ? '' : ` (code ${code}${subcode === null ? '' : `/${subcode}`})`}`
  const cause = { status, code, subcode, fbtraceId: body.fbtrace_id ?? null }
  const base = { platform: 'facebook' as const, status, platformCode: code, cause }

  if (status === null) {
    return new PlatformError('platform_unavailable', `Graph API unreachable during ${what}`, {
      ...base,
      retryable: true,
    })
  }
  if (
    code !== null &&
    (TOKEN_INVALID.has(code) || (subcode !== null && TOKEN_INVALID.has(subcode)))
  ) {
    return new PlatformError(
      'platform_token_invalid',
      `${detail}. The Page access token is invalid or expired: reconnect the Page`,
      { ...base, retryable: false },
    )
  }
  if (status === 429 || (code !== null && THROTTLED.has(code))) {
    return new PlatformError('platform_throttled', detail, {
      ...base,
      retryable: true,
      retryAfterMs: retryAfterMs(err.headers),
    })
  }
  if ((code === 100 && subcode === 33) || status === 404 || /does not exist/i.test(said)) {
    return new PlatformError('platform_object_gone', detail, { ...base, retryable: false })
  }
  if (code === 10 || (code !== null && code >= 200 && code <= 299) || code === 3) {
    return new PlatformError(
      'platform_forbidden',
      `${detail}. The Page token lacks a permission or task (MODERATE) for this`,
      { ...base, retryable: false },
    )
  }
  if (status >= 500 || (code !== null && TRANSIENT.has(code))) {
    return new PlatformError('platform_unavailable', detail, { ...base, retryable: true })
  }
  return new PlatformError('platform_rejected', detail, { ...base, retryable: false })
}

function isSdkRequestError(err: unknown): err is SdkRequestError {
  return err instanceof Error && err.name === 'FacebookRequestError'
}

function scrub(message: string, token: string): string {
  let out = message.replace(/access_token=[^&\s"']+/gi, 'access_token=[redacted]')
  if (token) out = out.split(token).join('[redacted]')
  return out.slice(0, 500)
}

/**
 * Retry-After (seconds) when present, else the Business Use Case header's
 * `estimated_time_to_regain_access`.
 */
function retryAfterMs(headers: Record<string, unknown> | null): number | null {
  if (!headers) return null
  const retryAfter = Number(header(headers, 'retry-after'))
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000
  return graphUsage(headers)?.regainMs ?? null
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()]
  return typeof value === 'string' ? value : undefined
}
