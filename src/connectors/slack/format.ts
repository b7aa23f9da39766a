import type { ReviewItem, Verdict } from './types.js'

/** Slack mrkdwn treats only these three as control characters. */
export function escapeMrkdwn(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** A mrkdwn link, or just the escaped label when the URL is not plain http(s). */
export function mrkdwnLink(url: string | null, label: string): string {
  const text = escapeMrkdwn(label).replaceAll('|', '¦')
  if (!url || !/^https?:\/\/[^\s<>|]+$/.test(url)) return text
  return `<${url}|${text}>`
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`
}

export function formatWait(ms: number): string {
  const min = Math.floor(Math.max(0, ms) / 60_000)
  if (min < 1) return 'under a minute'
  if (min < 60) return `${min} min`
  const h = Math.floor(min / 60)
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`
  const d = Math.floor(h / 24)
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`
}

/** Rendered by each viewer's Slack client in their own time zone; the ISO text is the fallback. */
export function slackDate(iso: string): string {
  const sec = Math.floor(Date.parse(iso) / 1000)
  if (!Number.isFinite(sec)) return escapeMrkdwn(iso)
  return `<!date^${sec}^{date_short_pretty} at {time}|${escapeMrkdwn(iso)}>`
}

export function platformName(platform: ReviewItem['platform']): string {
  return platform === 'facebook' ? 'Facebook' : 'X'
}

/** @NOTE threats and safeguarding concerns must not wait in a queue behind routine items. */
export function isUrgent(item: ReviewItem): boolean {
  return item.urgent || item.categories.some((c) => c === 'threat' || c === 'safeguarding')
}

/** What each verdict does on this platform, in words a moderator would use. */
export function verdictLabel(
  verdict: Verdict,
  item: Pick<ReviewItem, 'platform' | 'hidden'>,
): string {
  const fb = item.platform === 'facebook'
  switch (verdict) {
    case 'remove':
      return fb ? 'Remove (delete)' : 'Remove (hide on X)'
    case 'hide':
      return item.hidden ? 'Keep hidden' : 'Hide'
    case 'keep':
      return item.hidden ? 'Keep (unhide)' : 'Keep (leave up)'
    case 'ban':
      return fb ? 'Ban author' : 'Block author'
    case 'escalate':
      return 'Escalate'
  }
}

/** The past tense shown once a decision is made. */
export function verdictOutcome(
  verdict: Verdict,
  item: Pick<ReviewItem, 'platform' | 'hidden'>,
): string {
  const fb = item.platform === 'facebook'
  switch (verdict) {
    case 'remove':
      return fb ? 'Removed (deleted on Facebook)' : 'Removed (hidden on X)'
    case 'hide':
      return 'Hidden'
    case 'keep':
      return item.hidden ? 'Kept (to be unhidden)' : 'Kept'
    case 'ban':
      return fb ? 'Author banned from the Page' : 'Author blocked on X'
    case 'escalate':
      return 'Escalated'
  }
}

/** A Slack user id becomes a mention; anything else is shown as plain text. */
export function whoText(by: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(by) ? `<@${by}>` : escapeMrkdwn(by)
}
