import { ConfigError } from '../errors.js'
import type { Section } from './lexicon.js'
import type { Phrase, PhraseCompiler } from './phrases.js'
import { CATEGORIES, type Category, type Severity } from './types.js'

/** A `[rule id | severity | explanation | options]` section of a phrase file, compiled. */
export type PhraseRule = {
  id: string
  category: Category
  severity: Severity
  explanation: string
  unlessNegated: boolean
  unlessReported: boolean
  urgent: boolean
  needs: string[]
  unless: string[]
}

/** The rules of one file (their phrases go into the engine's shared index). */
export type PhraseRuleSet = { rules: PhraseRule[]; sets: string[] }

export function compilePhraseRules(
  sections: Section[],
  compiler: PhraseCompiler,
  add: (phrase: Phrase, rule: PhraseRule) => void,
): PhraseRuleSet {
  const rules: PhraseRule[] = []
  const sets = new Set<string>()
  for (const section of sections) {
    if (section.kind !== 'rule') continue
    const where = `lexicons/${section.file} [rule ${section.name}]`
    const rule = parseRule(section, where)
    for (const s of [...rule.needs, ...rule.unless]) {
      if (s !== 'person' && s !== 'accusable') compiler.set(s, where)
      sets.add(s)
    }
    for (const l of section.lines)
      add(compiler.phrase(l.fields[0]!, `${where} line ${l.line}`), rule)
    rules.push(rule)
  }
  return { rules, sets: [...sets] }
}

function parseRule(section: Section, where: string): PhraseRule {
  const category = section.name.split('.')[0] as Category
  if (!CATEGORIES.includes(category)) {
    throw new ConfigError(
      `${where}: the rule id must start with a category (${CATEGORIES.join(', ')})`,
    )
  }
  const severity = section.args[0]
  if (severity !== 'clear' && severity !== 'borderline') {
    throw new ConfigError(`${where}: the second column must be clear or borderline`)
  }
  const options = (section.args[2] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  const rule: PhraseRule = {
    id: section.name,
    category,
    severity,
    explanation: section.args[1] ?? section.name,
    unlessNegated: false,
    unlessReported: false,
    urgent: false,
    needs: [],
    unless: [],
  }
  for (const option of options) {
    if (option === 'unless-negated') rule.unlessNegated = true
    else if (option === 'unless-reported') rule.unlessReported = true
    else if (option === 'urgent') rule.urgent = true
    else if (option.startsWith('needs:')) rule.needs.push(option.slice(6))
    else if (option.startsWith('unless:')) rule.unless.push(option.slice(7))
    else throw new ConfigError(`${where}: unknown option ${option}`)
  }
  return rule
}
