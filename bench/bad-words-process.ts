/**
 * The baseline process for bench/classify.ts: reads the same JSON Lines as `wardguard classify`
 * and runs bad-words' isProfane on each text, nothing else.
 */
import { createInterface } from 'node:readline'
import { Filter } from 'bad-words'

const filter = new Filter()
let profane = 0
for await (const line of createInterface({
  input: process.stdin,
  crlfDelay: Number.POSITIVE_INFINITY,
})) {
  if (line === '') continue
  if (filter.isProfane((JSON.parse(line) as { text: string }).text)) profane++
}
process.stdout.write(`${profane}\n`)
