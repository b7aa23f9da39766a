/**
 * The words and dates of token warnings: what the review channel reads. Dates and times as
 * people in the UK read them.
 */
import type { FacebookAccount } from '../config/accounts.js'

export const DAY_MS = 86_400_000

export function earliest(...dates: (Date | null)[]): Date | null {
  const known = dates.filter((d): d is Date => d !== null)
  return known.length === 0 ? null : new Date(Math.min(...known.map((d) => d.getTime())))
}

export function fixFor(account: FacebookAccount, stored: boolean, button: string): string {
  const reconnect = `reconnect it in Wardguard → Accounts (${button}), signed in to Facebook as someone who moderates the Page`
  return stored || !account.tokenEnv
    ? reconnect
    : `${reconnect}, or put a new Page token in ${account.tokenEnv} and restart`
}

export function problemLine(
  w: { status: 'expiring' | 'failing'; expiresAt: Date | null },
  graphProblem: string | undefined,
): string {
  if (w.status === 'failing') return graphProblem ?? 'not valid'
  return `expires ${w.expiresAt ? w.expiresAt.toISOString().slice(0, 10) : 'soon'}`
}

export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

// @NOTE councils are in the UK: dates and times as people there read them, "Thursday 26 November 2026"
export function day(d: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).formatToParts(d)
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`
}

export function time(d: Date): string {
  const hm = d.toLocaleTimeString('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
  })
  return `${hm} on ${day(d)}`
}

export function inDays(deadline: Date, now: Date): string {
  const ms = deadline.getTime() - now.getTime()
  if (ms <= 0) return 'already passed'
  if (ms < DAY_MS) return 'in less than a day'
  const days = Math.round(ms / DAY_MS)
  return days === 1 ? 'in 1 day' : `in ${days} days`
}
