/**
 * Graph's Pages business-use-case rate limit, as the simulator enforces it: calls made with a
 * Page's token are counted over a rolling window, every answer carries the
 * `X-Business-Use-Case-Usage` header with the percentage used, and a call over the budget is
 * refused with error 80001 and an estimated time to regain access, as Graph does. Meta's
 * documented budget is 4,800 calls per 24 hours per engaged user; tests set small budgets so
 * the limit is reached in seconds.
 */
export type GraphLimits = { callsPerWindow: number; windowMs: number }

export type UsageMeter = {
  /** null: no limit (the default) */
  limits: GraphLimits | null
  /** how many calls were refused for the limit: a well-paced client keeps this at 0 */
  throttled: number
  /** counts one call; the header to send, and whether the call is over the budget */
  count(pageId: string, now?: number): { header: string; over: boolean } | null
}

export function createUsageMeter(): UsageMeter {
  const calls = new Map<string, number[]>()
  const meter: UsageMeter = {
    limits: null,
    throttled: 0,
    count(pageId, now = Date.now()) {
      const limits = meter.limits
      if (!limits) return null
      const recent = (calls.get(pageId) ?? []).filter((t) => t > now - limits.windowMs)
      const over = recent.length >= limits.callsPerWindow
      if (over) meter.throttled += 1
      else recent.push(now)
      calls.set(pageId, recent)
      const percent = Math.min(100, Math.round((recent.length / limits.callsPerWindow) * 100))
      const oldest = recent[0] ?? now
      const regainMinutes = over
        ? Math.max(1, Math.ceil((oldest + limits.windowMs - now) / 60_000))
        : 0
      const usage = {
        type: 'pages',
        call_count: percent,
        total_cputime: Math.round(percent / 4),
        total_time: Math.round(percent / 3),
        estimated_time_to_regain_access: regainMinutes,
      }
      return { header: JSON.stringify({ [pageId]: [usage] }), over }
    },
  }
  return meter
}
