import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ConfigError } from '../errors.js'
import {
  type AllowList,
  buildEngine,
  compileAllow,
  compileWordPhrases,
  type Engine,
} from './engine.js'
import { loadLexicons } from './lexicon.js'
import { loadModel, type Model } from './model/weights.js'
import type { PhraseIndex } from './phrase-index.js'
import {
  type BlockEntry,
  describeIssues,
  type PolicyFile,
  PolicyFileSchema,
  type PolicyOverrides,
  PolicyOverridesSchema,
  type Profile,
} from './policy-schema.js'
import { REPO_ROOT } from './repo-root.js'
import type { Category, ModerationAction } from './types.js'
import { type WordEntry, WordMatcher } from './word-matcher.js'

export { PolicyOverridesSchema }

/** The settings rules and decisions read; the pre-election profile swaps in a stricter copy. */
export type Settings = Pick<
  PolicyFile,
  'categories' | 'mildProfanity' | 'mediumProfanity' | 'spamThreshold' | 'trustedDomains'
>

export type BlockList = {
  words: WordMatcher
  phrases: PhraseIndex<WordEntry>
  /** what each block entry does */
  effect: Map<WordEntry, { category: Category; action: ModerationAction }>
}

/** A policy compiled and ready to run: lexicons loaded, patterns built, version hashed. */
export type Policy = {
  /** content hash of the settings and every lexicon file: recorded on each decision */
  version: string
  /** the YAML file it came from */
  source: string
  file: PolicyFile
  settings: Settings
  /** the settings while the pre-election period is on */
  electionSettings: Settings
  repeatOffenders: PolicyFile['repeatOffenders']
  pileOn: PolicyFile['pileOn']
  staffedHours: PolicyFile['staffedHours']
  preElection: PolicyFile['preElection']
  external: PolicyFile['external']
  engine: Engine
  /** the trained model beside the rules, or null (rules alone) */
  model: Model | null
  allow: AllowList
  block: BlockList
}

export const DEFAULT_POLICY_PATH = join(REPO_ROOT, 'config', 'policy.yaml')

/** Reads, validates and compiles a policy file; ConfigError names every wrong key. */
export function loadPolicy(
  path: string = DEFAULT_POLICY_PATH,
  opts: { model?: boolean; modelPath?: string } = {},
): Policy {
  const source = resolve(path)
  let text: string
  try {
    text = readFileSync(source, 'utf8')
  } catch (err) {
    throw new ConfigError(
      `policy: cannot read ${source} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    )
  }
  let raw: unknown
  try {
    raw = parseYaml(text)
  } catch (err) {
    throw new ConfigError(`policy: ${source} is not valid YAML: ${(err as Error).message}`)
  }
  const parsed = PolicyFileSchema.safeParse(raw ?? {})
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error))
  const engine = buildEngine(loadLexicons(resolve(dirname(source), parsed.data.lexicons)))
  // @NOTE training builds the model the policy names, so it loads the policy without it
  const wanted = opts.model !== false && parsed.data.model
  // @NOTE WARDGUARD_MODEL (a council's own model, `wardguard train --with-decisions`) replaces
  // the model the policy file names; the path is the operator's, relative to where they run
  const model =
    opts.model !== false && opts.modelPath
      ? loadModel(resolve(opts.modelPath))
      : wanted
        ? loadModel(resolve(dirname(source), parsed.data.model as string))
        : null
  return compilePolicy(parsed.data, engine, source, model)
}

/**
 * One account's policy: the base with its `policy:` overrides applied. Lists (allow, block,
 * trustedDomains) add to the base's; everything else replaces. ConfigError names `${where}.key`.
 */
export function withOverrides(base: Policy, overrides: unknown, where = 'policy'): Policy {
  if (overrides === undefined || overrides === null) return base
  const parsed = PolicyOverridesSchema.safeParse(overrides)
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, where))
  const merged = mergeOverrides(base.file, parsed.data)
  const checked = PolicyFileSchema.safeParse(merged)
  if (!checked.success) throw new ConfigError(describeIssues(checked.error, where))
  return compilePolicy(checked.data, base.engine, base.source, base.model)
}

/** The same policy deciding with another model (training, shadow runs, `policy diff`). */
export function withModel(base: Policy, model: Model | null): Policy {
  return compilePolicy(base.file, base.engine, base.source, model)
}

function mergeOverrides(file: PolicyFile, o: PolicyOverrides): PolicyFile {
  const categories = { ...file.categories }
  for (const [name, change] of Object.entries(o.categories ?? {})) {
    const key = name as Category
    categories[key] = { ...categories[key], ...change }
  }
  return {
    ...file,
    categories,
    mildProfanity: o.mildProfanity ?? file.mildProfanity,
    mediumProfanity: o.mediumProfanity ?? file.mediumProfanity,
    spamThreshold: o.spamThreshold ?? file.spamThreshold,
    trustedDomains: [...file.trustedDomains, ...(o.trustedDomains ?? [])],
    allow: [...file.allow, ...(o.allow ?? [])],
    block: [...file.block, ...(o.block ?? [])],
    repeatOffenders: { ...file.repeatOffenders, ...o.repeatOffenders },
    pileOn: { ...file.pileOn, ...o.pileOn },
    staffedHours: { ...file.staffedHours, ...o.staffedHours },
    preElection: { ...file.preElection, ...o.preElection },
    external: { ...file.external, ...o.external },
  }
}

function compilePolicy(
  file: PolicyFile,
  engine: Engine,
  source: string,
  model: Model | null,
): Policy {
  const settings: Settings = {
    categories: file.categories,
    mildProfanity: file.mildProfanity,
    mediumProfanity: file.mediumProfanity,
    spamThreshold: file.spamThreshold,
    trustedDomains: file.trustedDomains.map((d) => d.toLowerCase().replace(/^\.+/, '')),
  }
  const version = createHash('sha256')
    .update(stableJson(file))
    .update('\0')
    .update(engine.lexiconHash)
    .update('\0')
    .update(model?.hash ?? 'no model')
    .digest('hex')
    .slice(0, 16)
  return {
    version,
    source,
    file,
    settings,
    electionSettings: applyProfile(settings, file.preElection.profile),
    repeatOffenders: file.repeatOffenders,
    pileOn: file.pileOn,
    staffedHours: file.staffedHours,
    preElection: file.preElection,
    external: file.external,
    engine,
    model,
    allow: mergeAllow(engine, file.allow),
    block: compileBlock(file.block, engine),
  }
}

function applyProfile(settings: Settings, profile: Profile): Settings {
  const categories = { ...settings.categories }
  for (const [name, change] of Object.entries(profile.categories ?? {})) {
    const key = name as Category
    categories[key] = { ...categories[key], ...change }
  }
  return {
    ...settings,
    categories,
    mildProfanity: profile.mildProfanity ?? settings.mildProfanity,
    mediumProfanity: profile.mediumProfanity ?? settings.mediumProfanity,
    spamThreshold: profile.spamThreshold ?? settings.spamThreshold,
  }
}

function mergeAllow(engine: Engine, extra: string[]): AllowList {
  if (extra.length === 0) return engine.allow
  return compileAllow([...engine.allowEntries, ...extra], engine.compiler)
}

function compileBlock(entries: BlockEntry[], engine: Engine): BlockList {
  const words: WordEntry[] = []
  const effect = new Map<WordEntry, { category: Category; action: ModerationAction }>()
  entries.forEach((raw, i) => {
    const e =
      typeof raw === 'string'
        ? { text: raw, category: 'profanity' as const, action: 'hide' as const }
        : raw
    const text = e.text.trim().toLowerCase()
    const entry: WordEntry = {
      pattern: text,
      label: 'block',
      insult: false,
      phrase: /\s/.test(text),
      file: 'policy block',
      line: i + 1,
    }
    words.push(entry)
    effect.set(entry, { category: e.category, action: e.action })
  })
  return {
    words: new WordMatcher(words),
    phrases: compileWordPhrases(words, engine.compiler),
    effect,
  }
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
