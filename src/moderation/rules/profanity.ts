import type { Ctx } from '../context.js'
import { origOf } from '../normalise.js'
import type { Settings } from '../policy.js'
import { insultCue, scanWords } from './words.js'

const LEVEL_WORDS: Record<string, string> = {
  strong: 'Strong swearing or obscenity',
  medium: 'Swearing',
  mild: 'Mild swearing',
}

/**
 * Swearing, with its disguises. Strong words are hidden; medium ones (shit, bollocks) go to
 * review unless aimed at a person, when they are hidden too; mild ones follow `mildProfanity`
 * (allowed by default). Swearing quoted to report it ("he shouted 'f*** off' at my mum") goes to
 * a person instead of being hidden.
 */
export function profanityRules(ctx: Ctx, settings: Settings): void {
  const { a } = ctx
  for (const find of ctx.wordFinds()) {
    if (find.entry.file !== 'profanity.txt') continue
    const first = a.tokens[find.first]!
    const last = a.tokens[find.last]!
    const level = find.entry.label
    const aimed =
      level !== 'mild' &&
      (aimedAtPerson(ctx, find.first, find.last) ||
        (level === 'strong' && insultCue(ctx, find.first, find.last)))
    const reported = ctx.reported(first.start, last.end)
    const base = { category: 'profanity' as const, start: first.start, end: last.end }
    if (level === 'mild') {
      ctx.hits.push({
        ...base,
        rule: 'profanity.mild',
        severity: 'borderline',
        action: settings.mildProfanity,
        explanation: LEVEL_WORDS.mild!,
      })
    } else if (level === 'medium' && !aimed) {
      ctx.hits.push({
        ...base,
        rule: 'profanity.medium',
        severity: 'borderline',
        action: reported ? undefined : settings.mediumProfanity,
        explanation: `${LEVEL_WORDS.medium}, not aimed at anyone`,
      })
    } else {
      ctx.hits.push({
        ...base,
        rule: level === 'medium' ? 'profanity.aimed' : 'profanity.strong',
        severity: reported ? 'borderline' : 'clear',
        explanation: reported
          ? 'Strong swearing, quoted: a person should judge it'
          : level === 'medium'
            ? 'Swearing aimed at a person'
            : (LEVEL_WORDS.strong ?? ''),
      })
    }
    if (aimed && !reported) {
      ctx.hits.push({
        ...base,
        category: 'harassment',
        rule: 'harassment.abusive_swearing',
        severity: 'borderline',
        explanation: 'Swears at a person',
      })
    }
  }
  blockList(ctx)
}

/** A person within four words either side: you, Cllr, councillors, @handle, a name. */
export function aimedAtPerson(ctx: Ctx, first: number, last: number): boolean {
  const tokens = ctx.a.tokens
  const sentence = tokens[first]!.sentence
  for (let k = Math.max(0, first - 4); k <= Math.min(tokens.length - 1, last + 4); k++) {
    if (k >= first && k <= last) continue
    const t = tokens[k]!
    if (t.sentence !== sentence) continue
    if (ctx.engine.wordSet('addressee').has(t.word) || t.word.startsWith('@')) return true
    if (ctx.engine.givenNames.has(t.word) && /^\p{Lu}\p{Ll}/u.test(origOf(ctx.a, t))) return true
  }
  return false
}

/** An account's own block list: words it always wants hidden (or reviewed). */
function blockList(ctx: Ctx): void {
  const block = ctx.policyBlock
  if (!block || block.words.entries.length === 0) return
  for (const find of scanWords(ctx, block.words, block.phrases.find(ctx.a), 'policy block')) {
    const effect = block.effect.get(find.entry)
    if (!effect) continue
    ctx.hits.push({
      rule: 'policy.block_list',
      category: effect.category,
      severity: 'clear',
      action: effect.action,
      start: ctx.a.tokens[find.first]!.start,
      end: ctx.a.tokens[find.last]!.end,
      explanation: "On this account's block list",
    })
  }
}
