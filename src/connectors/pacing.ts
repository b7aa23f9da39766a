/**
 * Pacing from what the platform says about its own limits. Graph reports how much of a Page's
 * (and the app's) budget is used as percentages in `X-Business-Use-Case-Usage` and
 * `X-App-Usage`; X reports calls left and the reset time per endpoint in `x-rate-limit-*`.
 * A client feeds every answer's signal in and asks before each call how long to wait, so a
 * pile-on is hidden as fast as the platform allows, and never fast enough to be throttled
 * (a throttled Page can be locked out for an hour).
 *
 * @NOTE state is per process and per account: the headers describe the platform's count, which
 * every process sees rise in its own answers, so processes need not share it.
 */

/** What one answer said about the budget. */
export type UsageSignal =
  | {
      kind: 'percent'
      /** the highest of the reported percentages (calls, CPU time, total time) */
      percent: number
      /** Graph's estimated_time_to_regain_access, when throttled */
      regainMs: number | null
    }
  | { kind: 'remaining'; endpoint: string; remaining: number; resetAtMs: number }

export type PercentSignal = Extract<UsageSignal, { kind: 'percent' }>

export type Pacer = {
  observe(signal: UsageSignal): void
  /**
   * How long to wait before the next call; 0 means go now, and reserves the slot, so that
   * concurrent jobs of one account do not all go through one gap.
   */
  reserve(endpoint?: string): number
}

/** Percent bands: below the first no spacing; the last means stop until the budget returns. */
const SPACING_BANDS: readonly { from: number; spacingMs: number }[] = [
  { from: 95, spacingMs: Number.POSITIVE_INFINITY },
  { from: 85, spacingMs: 1_000 },
  { from: 70, spacingMs: 250 },
]
/** Graph gives no regain time until it is throttling: a near-full budget rests this long. */
const NEAR_FULL_REST_MS = 30_000

export function createPacer(now: () => number = Date.now): Pacer {
  let spacingMs = 0
  let notBefore = 0
  let lastGo = 0
  const endpoints = new Map<string, { remaining: number; resetAtMs: number }>()

  return {
    observe(signal) {
      const t = now()
      if (signal.kind === 'remaining') {
        endpoints.set(signal.endpoint, {
          remaining: signal.remaining,
          resetAtMs: signal.resetAtMs,
        })
        return
      }
      if (signal.regainMs && signal.regainMs > 0) {
        notBefore = Math.max(notBefore, t + signal.regainMs)
      }
      const band = SPACING_BANDS.find((b) => signal.percent >= b.from)
      spacingMs = band?.spacingMs ?? 0
      if (spacingMs === Number.POSITIVE_INFINITY) {
        notBefore = Math.max(notBefore, t + (signal.regainMs ?? NEAR_FULL_REST_MS))
        spacingMs = 1_000
      }
    },
    reserve(endpoint) {
      const t = now()
      let until = Math.max(notBefore, lastGo + spacingMs)
      const left = endpoint ? endpoints.get(endpoint) : undefined
      if (left && t < left.resetAtMs) {
        if (left.remaining <= 0) until = Math.max(until, left.resetAtMs)
        else left.remaining -= 1
      }
      if (until > t) return until - t
      lastGo = t
      return 0
    },
  }
}

/**
 * Graph's usage headers, as the highest percentage among them (null when there are none).
 * `X-Business-Use-Case-Usage` is `{ "<page id>": [{ call_count, total_cputime, total_time,
 * estimated_time_to_regain_access (minutes) }] }`; `X-App-Usage` is `{ call_count, total_time,
 * total_cputime }`.
 */
export function graphUsage(
  headers: Record<string, unknown> | null | undefined,
): PercentSignal | null {
  if (!headers) return null
  const values: number[] = []
  let regainMinutes = 0
  const read = (entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return
    const e = entry as Record<string, unknown>
    for (const key of ['call_count', 'total_cputime', 'total_time']) {
      const n = Number(e[key])
      if (Number.isFinite(n)) values.push(n)
    }
    const regain = Number(e.estimated_time_to_regain_access)
    if (Number.isFinite(regain)) regainMinutes = Math.max(regainMinutes, regain)
  }
  const buc = parseJson(headerOf(headers, 'x-business-use-case-usage'))
  if (buc && typeof buc === 'object') {
    for (const list of Object.values(buc as Record<string, unknown>)) {
      if (Array.isArray(list)) list.forEach(read)
    }
  }
  read(parseJson(headerOf(headers, 'x-app-usage')))
  if (values.length === 0) return null
  return {
    kind: 'percent',
    percent: Math.max(...values),
    regainMs: regainMinutes > 0 ? regainMinutes * 60_000 : null,
  }
}

function headerOf(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()]
  return typeof value === 'string' ? value : undefined
}

function parseJson(text: string | undefined): unknown {
  if (!text || text.length > 8_192) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
