import type { Ctx } from '../context.js'
import { runPhraseFile } from './run-phrases.js'

/** Threat rules: the phrases and options in config/lexicons/threat.txt. */
export function threatRules(ctx: Ctx): void {
  runPhraseFile(ctx, 'threat')
}
