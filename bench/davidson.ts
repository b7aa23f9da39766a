import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from '../src/moderation/repo-root.js'

/** Davidson et al. 2017 (MIT): 24,783 labelled tweets, in ../shared/data/davidson. */
export const DAVIDSON = join(REPO_ROOT, '..', 'shared', 'data', 'davidson', 'labeled_data.csv')

export type Tweet = { text: string; label: 'hate' | 'offensive' | 'neither' }

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c !== '"') field += c
      else if (text[i + 1] === '"') {
        field += '"'
        i++
      } else quoted = false
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else if (c !== '\r') field += c
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

export function loadTweets(path = DAVIDSON): Tweet[] {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'))
  const text = header!.indexOf('tweet')
  const cls = header!.indexOf('class')
  const labels = ['hate', 'offensive', 'neither'] as const
  return rows
    .filter((r) => r.length > Math.max(text, cls))
    .map((r) => ({ text: r[text]!, label: labels[Number(r[cls])] ?? 'neither' }))
}
