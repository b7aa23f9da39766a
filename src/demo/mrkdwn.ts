/**
 * Slack's mrkdwn as a terminal shows it: what a moderator would read in Slack, not the markup
 * (`*Comment*`, `<https://…|Paul Haines>`, `<!date^1733400000^{date_short_pretty}|…>`).
 * Bold becomes ANSI bold when the output is a terminal, links read "label (address)", dates
 * are written out, and Slack's three escapes are undone last so that `&lt;` stays text.
 */
export function mrkdwnToText(text: string, opts: { ansi?: boolean } = {}): string {
  const bold = (s: string) => (opts.ansi ? `\x1b[1m${s}\x1b[22m` : s)
  return (
    text
      // <!date^1733400000^{date_short_pretty} at {time}|fallback>
      .replace(/<!date\^(\d+)\^[^|>]*(?:\|[^>]*)?>/g, (_, ts: string) => formatDate(Number(ts)))
      .replace(/<!(here|channel|everyone)>/g, '@$1')
      .replace(
        /<@([UW][A-Z0-9]+)(?:\|([^>]+))?>/g,
        (_, id: string, name?: string) => `@${name ?? id}`,
      )
      .replace(/<#(C[A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `#${name || id}`)
      .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, (_, url: string, label: string) =>
        label === url ? url : `${label} (${url})`,
      )
      .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
      // *bold* and _italic_ only where Slack would see them: at word edges, not inside words
      .replace(
        /(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/gm,
        (_, pre: string, s: string) => pre + bold(s),
      )
      .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/gm, '$1$2')
      .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/gm, '$1$2')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  )
}

/** "5 Dec 2026 14:03 UTC": the demo runs anywhere, so the zone is said, not guessed. */
function formatDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000)
  if (Number.isNaN(d.getTime())) return 'a date'
  const day = d.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  })
  const time = d.toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  })
  return `${day} ${time} UTC`
}
