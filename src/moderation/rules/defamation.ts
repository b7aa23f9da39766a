import type { Ctx } from '../context.js'
import { runPhraseFile } from './run-phrases.js'

/** Defamation rules: the phrases and options in config/lexicons/defamation.txt. */
export function defamationRules(ctx: Ctx): void {
  runPhraseFile(ctx, 'defamation')
}
