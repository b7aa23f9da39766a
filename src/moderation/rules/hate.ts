import type { Ctx } from '../context.js'
import { runPhraseFile } from './run-phrases.js'

const CHARACTERISTIC: Record<string, string> = {
  race: 'race, colour or nationality',
  religion: 'religion',
  sexual_orientation: 'sexual orientation',
  gender_reassignment: 'gender reassignment (trans people)',
  disability: 'disability',
  sex: 'sex',
  age: 'age',
}

/**
 * Hate: slurs (slurs.txt) and hostility to a protected group without any slur (hate.txt).
 * A slur quoted in order to condemn it is counter-speech and is left alone.
 */
export function hateRules(ctx: Ctx): void {
  for (const find of ctx.wordFinds()) {
    if (find.entry.file !== 'slurs.txt') continue
    const start = ctx.a.tokens[find.first]!.start
    const end = ctx.a.tokens[find.last]!.end
    if (ctx.reported(start, end)) continue
    const about = CHARACTERISTIC[find.entry.label] ?? 'a protected characteristic'
    ctx.hits.push({
      rule: 'hate.slur',
      category: 'hate',
      severity: 'clear',
      start,
      end,
      explanation: `A slur about ${about}`,
    })
  }
  runPhraseFile(ctx, 'hate')
}
