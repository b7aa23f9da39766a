import type { Ctx } from '../context.js'
import { runPhraseFile } from './run-phrases.js'

/** Harassment: the phrases in config/lexicons/harassment.txt, plus repeated tagging. */
export function harassmentRules(ctx: Ctx): void {
  runPhraseFile(ctx, 'harassment')
  const seen = new Map<string, number[]>()
  ctx.a.tokens.forEach((t, i) => {
    if (!t.word.startsWith('@')) return
    const list = seen.get(t.word) ?? []
    list.push(i)
    seen.set(t.word, list)
  })
  for (const list of seen.values()) {
    if (list.length < 3) continue
    // @NOTE the same person tagged three times in one comment reads as hounding them
    ctx.hits.push({
      rule: 'harassment.repeated_tagging',
      category: 'harassment',
      severity: 'borderline',
      start: ctx.a.tokens[list[0]!]!.start,
      end: ctx.a.tokens[list[list.length - 1]!]!.end,
      explanation: 'Tags the same person again and again',
    })
  }
}
