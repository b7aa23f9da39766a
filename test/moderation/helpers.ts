import { type Decision, loadPolicy, moderate, type Policy } from '../../src/moderation/index.js'

/** The shipped policy (config/policy.yaml), loaded once per test file. */
export const policy: Policy = loadPolicy()

export function check(
  text: string,
  extra: Partial<Parameters<typeof moderate>[0]> = {},
  p = policy,
): Decision {
  return moderate({ text, platform: 'facebook', ...extra }, p)
}

/** The exact words the reasons point at. */
export function matches(d: Decision): string[] {
  return d.reasons.map((r) => r.match)
}
