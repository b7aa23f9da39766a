import type { BanEffect, CommentState, ReviewItem, Verdict } from './types.js'

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

/** The comment's state, from `state` or (older callers) the `hidden` flag. */
export function stateOf(item: Pick<ReviewItem, 'hidden' | 'state'>): CommentState {
  return item.state ?? (item.hidden ? 'hidden' : 'visible')
}

/** What Ban does here. @NOTE X's default (basic) tier can only mute: blocking needs Enterprise. */
export function banEffectOf(item: Pick<ReviewItem, 'platform' | 'banEffect'>): BanEffect {
  return item.banEffect ?? (item.platform === 'facebook' ? 'ban' : 'mute')
}

/** The comment's state in a few words, for the top line of the message. */
export function stateText(item: Pick<ReviewItem, 'platform' | 'hidden' | 'state'>): string {
  const on = platformName(item.platform)
  switch (stateOf(item)) {
    case 'visible':
      return `:eyes: visible on ${on}`
    case 'hiding':
      return `:hourglass_flowing_sand: being hidden on ${on}`
    case 'hidden':
      return `:see_no_evil: hidden on ${on}`
    case 'deleted':
      return `:wastebasket: deleted on ${on}`
  }
}

type LabelItem = Pick<ReviewItem, 'platform' | 'hidden' | 'state' | 'banEffect'>

/** The button for each verdict, short enough that five fit a phone's width in one or two rows. */
export function verdictLabel(verdict: Verdict, item: LabelItem): string {
  const state = stateOf(item)
  const hidden = state === 'hidden' || state === 'hiding'
  switch (verdict) {
    case 'remove':
      return item.platform === 'facebook' ? 'Delete' : 'Remove'
    case 'hide':
      return hidden ? 'Keep hidden' : 'Hide'
    case 'keep':
      if (state === 'deleted') return 'Close'
      return hidden ? 'Unhide' : 'Keep up'
    case 'ban':
      return { ban: 'Ban author', block: 'Block author', mute: 'Mute author' }[banEffectOf(item)]
    case 'escalate':
      return 'Escalate'
  }
}

/** What a decision did, in the past tense, named by its real effect on this platform. */
export function verdictOutcome(verdict: Verdict, item: LabelItem): string {
  const state = stateOf(item)
  const hidden = state === 'hidden' || state === 'hiding'
  switch (verdict) {
    case 'remove':
      return item.platform === 'facebook'
        ? 'Deleted from Facebook'
        : 'Hidden on X (X cannot delete replies)'
    case 'hide':
      return hidden ? 'Kept hidden' : 'Hidden'
    case 'keep':
      if (state === 'deleted') return 'Closed (the comment was already deleted)'
      return hidden ? 'Unhidden' : 'Kept up'
    case 'ban':
      return {
        ban: 'Author banned from the Page',
        block: 'Author blocked on X',
        mute: 'Author muted on X (blocking needs X Enterprise)',
      }[banEffectOf(item)]
    case 'escalate':
      return 'Escalated'
  }
}

/** A Slack user id becomes a mention; anything else is shown as plain text. */
export function whoText(by: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(by) ? `<@${by}>` : escapeMrkdwn(by)
}
