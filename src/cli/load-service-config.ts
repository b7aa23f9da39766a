import { type Config, loadConfig } from '../config/load.js'
import { PolicyOverridesSchema } from '../moderation/index.js'

/** The config the service runs with: environment + YAML, account policy overrides checked too. */
export async function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  return loadConfig({ env, checkPolicy: checkPolicyOverrides })
}

function checkPolicyOverrides(overrides: unknown): string[] {
  const parsed = PolicyOverridesSchema.safeParse(overrides)
  if (parsed.success) return []
  return parsed.error.issues.map((i) => `${i.path.join('.') || '(policy)'}: ${i.message}`)
}
