/**
 * npx tsx training/lexicon-hygiene.ts [--retire]
 * Lists each multi-word lexicon phrase with how many independent training items it matches and
 * how many development-corpus comments. With --retire, deletes the phrases that fire on
 * exactly one dev comment (memorised from it) and those with fewer than two training items.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from '../src/moderation/repo-root.js'
import { DEFAULT_LEXICONS, type PhraseEntry, phraseSupport } from './lexicon-support.js'
import { trainingTexts } from './training-texts.js'

const retire = process.argv.includes('--retire')
const dev = join(REPO_ROOT, '..', 'shared', 'corpus', 'dev.jsonl')
const devTexts = existsSync(dev)
  ? readFileSync(dev, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const j = JSON.parse(l) as { id: string; text: string }
        return { text: j.text, key: `dev/${j.id}` }
      })
  : []
const support = phraseSupport(DEFAULT_LEXICONS, [...trainingTexts(), ...devTexts])

const doomed: PhraseEntry[] = []
for (const [entry, keys] of support) {
  const devHits = [...keys].filter((k) => k.startsWith('dev/')).length
  const trainHits = keys.size - devHits
  const verdict = devHits === 1 || trainHits < 2 ? 'retire' : 'keep'
  if (verdict === 'retire') doomed.push(entry)
  process.stdout.write(
    `${verdict}\t${trainHits}\t${devHits}\t${entry.file}:${entry.line}\t${entry.text}\n`,
  )
}
process.stderr.write(`${support.size} multi-word phrases, ${doomed.length} to retire\n`)

if (retire) {
  const byFile = new Map<string, Set<number>>()
  for (const e of doomed) byFile.set(e.file, (byFile.get(e.file) ?? new Set()).add(e.line))
  for (const [file, lines] of byFile) {
    const path = join(DEFAULT_LEXICONS, file)
    const kept = readFileSync(path, 'utf8')
      .split('\n')
      .filter((_, i) => !lines.has(i + 1))
    writeFileSync(path, kept.join('\n'))
  }
}
