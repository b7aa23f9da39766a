import type { Ctx } from '../context.js'
import { runPhraseFile } from './run-phrases.js'

/** Safeguarding rules: the phrases and options in config/lexicons/safeguarding.txt. */
export function safeguardingRules(ctx: Ctx): void {
  runPhraseFile(ctx, 'safeguarding')
}
