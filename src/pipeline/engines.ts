/**
 * Which engine each account runs: the configured policy, unless a shadow run's candidate was
 * switched in (account_engine), and the candidate shadowing it now, if any. Read with the
 * accounts, so a switch reaches every process the way a connected account does.
 */
import { accountEngines, type Db, runningShadowRuns } from '../audit/index.js'
import { connectorLogger } from '../logger.js'
import { loadPolicy, type Policy } from '../moderation/index.js'

export type ShadowEngine = { runId: string; policy: Policy; endsAt: string }

export type EngineSet = {
  /** accounts switched to a candidate: the base policy they run instead of the configured one */
  active: ReadonlyMap<string, Policy>
  /** accounts with a candidate in shadow: its base policy, before the account's overrides */
  shadows: ReadonlyMap<string, ShadowEngine>
}

export const NO_ENGINES: EngineSet = { active: new Map(), shadows: new Map() }

export type PolicyCompiler = (policyPath: string, modelPath: string | null) => Policy

/** loadPolicy, once per policy and model file pair. */
export function cachedCompiler(): PolicyCompiler {
  const cache = new Map<string, Policy>()
  return (policyPath, modelPath) => {
    const key = `${policyPath}\0${modelPath ?? ''}`
    const known = cache.get(key)
    if (known) return known
    const policy = loadPolicy(policyPath, { modelPath: modelPath ?? undefined })
    cache.set(key, policy)
    return policy
  }
}

export async function loadEngineSet(
  db: Db,
  compile: PolicyCompiler,
  now: Date = new Date(),
): Promise<EngineSet> {
  const [switched, running] = await Promise.all([accountEngines(db), runningShadowRuns(db, now)])
  const active = new Map<string, Policy>()
  for (const e of switched) {
    const policy = tryCompile(compile, e.policyPath, e.modelPath, e.accountId, 'switched-to')
    if (policy) active.set(e.accountId, policy)
  }
  const shadows = new Map<string, ShadowEngine>()
  for (const run of running) {
    const policy = tryCompile(compile, run.policyPath, run.modelPath, run.accountId, 'shadow')
    if (policy) shadows.set(run.accountId, { runId: run.id, policy, endsAt: run.endsAt })
  }
  return { active, shadows }
}

// @NOTE a candidate file deleted or broken since: the account keeps (or falls back to) the
// configured policy, loudly, rather than stop moderating
function tryCompile(
  compile: PolicyCompiler,
  policyPath: string,
  modelPath: string | null,
  accountId: string,
  role: string,
): Policy | null {
  try {
    return compile(policyPath, modelPath)
  } catch (err) {
    connectorLogger.error(
      { account: accountId, role, policyPath, modelPath, err: (err as Error).message },
      'account engine could not be loaded: the configured policy decides instead',
    )
    return null
  }
}
