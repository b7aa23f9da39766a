import type { Ctx } from '../context.js'
import { runPhraseFile } from './run-phrases.js'

/** Sub judice rules: the phrases and options in config/lexicons/sub-judice.txt. */
export function subJudiceRules(ctx: Ctx): void {
  runPhraseFile(ctx, 'sub-judice')
}
