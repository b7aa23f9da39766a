/**
 * Checks labelled item files: the schema, unique ids, twins that point at each other with
 * different labels, and that no line copies five words in a row from the development corpus
 * (a test set), in its text or its note: the stop check reads every field, so this does too.
 * Usage: npx tsx training/check-data.ts FILE...
 */
import { existsSync, readFileSync } from 'node:fs'
import { decisionOf, type Item, itemSchema } from './item-schema.js'

const DEV = new URL('../../shared/corpus/dev.jsonl', import.meta.url)

const words = (t: string) =>
  t
    .toLowerCase()
    .normalize('NFKC')
    .match(/[\p{L}\p{N}]+/gu) ?? []

function devGrams(): Set<string> {
  const grams = new Set<string>()
  if (!existsSync(DEV)) return grams
  for (const line of readFileSync(DEV, 'utf8').split('\n')) {
    if (!line.trim()) continue
    const w = words(JSON.parse(line).text)
    for (let i = 0; i + 5 <= w.length; i++) grams.add(w.slice(i, i + 5).join(' '))
  }
  return grams
}

/** The first five-word run of `text` that is also in the development corpus, if any. */
function sharedGram(text: string, grams: Set<string>): string | undefined {
  const w = words(text)
  for (let i = 0; i + 5 <= w.length; i++) {
    const gram = w.slice(i, i + 5).join(' ')
    if (grams.has(gram)) return gram
  }
  return undefined
}

export function checkFile(file: string, grams: Set<string>): string[] {
  const problems: string[] = []
  const items = new Map<string, Item>()
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, n) => {
      if (!line.trim()) return
      const where = `${file}:${n + 1}`
      let raw: unknown
      try {
        raw = JSON.parse(line)
      } catch {
        problems.push(`${where}: not JSON`)
        return
      }
      const parsed = itemSchema.safeParse(raw)
      if (!parsed.success) {
        problems.push(
          `${where}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
        )
        return
      }
      const item = parsed.data
      if (items.has(item.id)) problems.push(`${where}: id ${item.id} is used twice`)
      items.set(item.id, item)
      for (const [field, value] of [
        ['text', item.text],
        ['note', item.note ?? ''],
      ] as const) {
        const gram = sharedGram(value, grams)
        if (gram)
          problems.push(
            `${where}: its ${field} has "${gram}", five words of a test-set comment: rewrite it`,
          )
      }
    })
  for (const item of items.values()) {
    if (!item.twin) continue
    const twin = items.get(item.twin)
    if (!twin) problems.push(`${item.id}: twin ${item.twin} is not in this file`)
    else if (
      decisionOf(twin.labels) === decisionOf(item.labels) &&
      JSON.stringify(twin.labels) === JSON.stringify(item.labels)
    )
      problems.push(`${item.id}: its twin ${twin.id} has the same labels`)
  }
  return problems
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const grams = devGrams()
  let bad = 0
  for (const file of process.argv.slice(2)) {
    const problems = checkFile(file, grams)
    bad += problems.length
    for (const p of problems) console.log(p)
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
    const counts: Record<string, number> = { allow: 0, review: 0, hide: 0 }
    for (const l of lines) {
      try {
        counts[decisionOf(JSON.parse(l).labels ?? {})]!++
      } catch {}
    }
    console.log(
      `${file}: ${lines.length} items (allow ${counts.allow}, review ${counts.review}, hide ${counts.hide}), ${problems.length} problems`,
    )
  }
  process.exitCode = bad ? 1 : 0
}
