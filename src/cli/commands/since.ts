import { ConfigError } from '../../errors.js'

/** `30d`, `12h`, `2w` before now, for --since options. */
export function parseSince(text: string, now: Date = new Date()): Date {
  const m = /^(\d{1,4})([hdw])$/.exec(text.trim())
  if (!m) throw new ConfigError(`--since: say how long ago, like 30d, 12h or 2w (not "${text}")`)
  const hours = { h: 1, d: 24, w: 168 }[m[2] as 'h' | 'd' | 'w']
  return new Date(now.getTime() - Number(m[1]) * hours * 3_600_000)
}
