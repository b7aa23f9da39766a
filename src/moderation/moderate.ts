import { createContext } from './context.js'
import { decide } from './decide.js'
import { modelHits } from './model-hits.js'
import { inPreElection, outsideStaffedHours } from './modes.js'
import { type Analysed, analyse } from './normalise.js'
import type { Policy } from './policy.js'
import { defamationRules } from './rules/defamation.js'
import { harassmentRules } from './rules/harassment.js'
import { hateRules } from './rules/hate.js'
import { personalDataRules } from './rules/personal-data.js'
import { profanityRules } from './rules/profanity.js'
import { safeguardingRules } from './rules/safeguarding.js'
import { linksOnlyToTrusted, spamRules } from './rules/spam.js'
import { subJudiceRules } from './rules/sub-judice.js'
import { threatRules } from './rules/threat.js'
import type { Decision, Hit, ModerationInput } from './types.js'

// @NOTE Facebook comments stop at 8,000 characters; anything longer is looked at up to here
const MAX_TEXT = 20_000

/**
 * The moderation engine: a pure, deterministic function from a comment and an account's policy
 * to a decision that lists every rule that fired and the exact words it fired on.
 */
export function moderate(input: ModerationInput, policy: Policy): Decision {
  return moderateWith(input, policy, [])
}

/** `moderate` with hits from elsewhere (an external classifier) added before deciding. */
export function moderateWith(input: ModerationInput, policy: Policy, extra: Hit[]): Decision {
  const at = input.at ? Date.parse(input.at) : Date.now()
  const when = Number.isNaN(at) ? Date.now() : at
  const election = inPreElection(policy.preElection, when)
  const settings = election ? policy.electionSettings : policy.settings
  const hits = [...findHits(input.text, policy, settings), ...extra]
  return decide(hits, input, policy, {
    settings,
    modes: election ? ['pre_election'] : [],
    outsideStaffedHours: outsideStaffedHours(policy.staffedHours, when),
  })
}

/** Every rule and model hit in a text, before the policy turns them into actions. */
export function findHits(text: string, policy: Policy, settings = policy.settings): Hit[] {
  const a = analyseText(text)
  const allowed = allowMask(a, policy)
  const hits = ruleHits(a, policy, settings, allowed)
  if (policy.model && a.tokens.length > 0) {
    // @NOTE the rules decide links: the model's spam call stands down on official links
    const standDown = linksOnlyToTrusted(a.text, settings) ? (['spam'] as const) : []
    hits.push(...modelHits(a, policy.model, allowed, standDown))
  }
  return hits
}

export function analyseText(text: string): Analysed {
  return analyse(text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text)
}

/** The hits of the rules alone: the lexicons, word lists and detectors. */
export function ruleHits(
  a: Analysed,
  policy: Policy,
  settings = policy.settings,
  allowed = allowMask(a, policy),
): Hit[] {
  if (a.tokens.length === 0) return []
  const ctx = createContext(a, policy.engine, allowed, policy.block)
  const isSpam = spamRules(ctx, settings)
  profanityRules(ctx, settings)
  hateRules(ctx)
  threatRules(ctx)
  harassmentRules(ctx)
  defamationRules(ctx)
  subJudiceRules(ctx)
  personalDataRules(ctx, isSpam)
  safeguardingRules(ctx)
  return ctx.hits
}

/** Tokens covered by the allow-list (global lexicon + the account's own entries). */
export function allowMask(a: Analysed, policy: Policy): Uint8Array {
  const masked = new Uint8Array(a.tokens.length)
  const { words, phrases } = policy.allow
  for (let i = 0; i < a.tokens.length; i++) {
    const t = a.tokens[i]!
    if (words.has(t.word)) masked[i] = 1
    else if (t.raw !== t.word && words.has(t.raw.replace(/[^\p{L}\p{N}]/gu, ''))) masked[i] = 1
  }
  if (phrases.size === 0) return masked
  for (const hit of phrases.find(a)) {
    a.tokens.forEach((t, i) => {
      if (t.start >= hit.start && t.end <= hit.end) masked[i] = 1
    })
  }
  return masked
}
