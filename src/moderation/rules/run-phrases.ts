import { type Ctx, passesOptions } from '../context.js'
import type { PhraseFile } from '../engine.js'

/** Runs one phrase file's rules (config/lexicons/<file>.txt) over the comment. */
export function runPhraseFile(ctx: Ctx, file: PhraseFile): void {
  for (const hit of ctx.found.rules.get(file) ?? []) {
    const rule = hit.value
    if (!passesOptions(ctx, rule, hit)) continue
    ctx.hits.push({
      rule: rule.id,
      category: rule.category,
      severity: rule.severity,
      start: hit.start,
      end: hit.end,
      explanation: rule.explanation,
      urgent: rule.urgent || undefined,
    })
  }
}
