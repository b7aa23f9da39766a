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

/**
 * Examples of one behaviour, judged by the whole engine (rules and the trained model). A model
 * is measured, not memorised: the floor is the share of examples it got right when it was
 * committed, so a retrain that does worse fails here, and the misses are listed.
 */
export function expectMostly(
  texts: string[],
  ok: (d: Decision) => boolean,
  floor: number,
  p = policy,
): void {
  const misses = texts.filter((t) => !ok(check(t, {}, p)))
  const share = (texts.length - misses.length) / texts.length
  if (share < floor) {
    throw new Error(
      `${texts.length - misses.length} of ${texts.length} right, below the floor of ${floor}; missed: ${misses.map((m) => JSON.stringify(m)).join(', ')}`,
    )
  }
}
