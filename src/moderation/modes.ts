import type { PolicyFile } from './policy-schema.js'

/**
 * Time-dependent modes. Pre-election: a date range (inclusive, UK dates) with a stricter
 * profile. Staffed hours: outside them, what would go to review is hidden until reviewed.
 */
const formatters = new Map<string, Intl.DateTimeFormat>()

function partsIn(timeZone: string, at: number) {
  let fmt = formatters.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, fmt)
  }
  const parts: Record<string, string> = {}
  for (const p of fmt.formatToParts(at)) parts[p.type] = p.value
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    day: (parts.weekday ?? '').slice(0, 3).toLowerCase(),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  }
}

export function inPreElection(pre: PolicyFile['preElection'], at: number): boolean {
  if (!pre.from || !pre.to) return false
  const { date } = partsIn('Europe/London', at)
  return date >= pre.from && date <= pre.to
}

export function outsideStaffedHours(hours: PolicyFile['staffedHours'], at: number): boolean {
  if (!hours.enabled) return false
  const { day, minutes } = partsIn(hours.timezone, at)
  if (!hours.days.includes(day as (typeof hours.days)[number])) return true
  const from = toMinutes(hours.from)
  const to = toMinutes(hours.to)
  // @NOTE a rota that runs past midnight (18:00 to 02:00) wraps round
  const inside = from <= to ? minutes >= from && minutes < to : minutes >= from || minutes < to
  return !inside
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}
