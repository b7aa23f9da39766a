import { z } from 'zod'
import { moderate, moderateWith } from './moderate.js'
import type { Policy } from './policy.js'
import { CategorySchema } from './policy-schema.js'
import type { Category, Decision, Hit, ModerationInput } from './types.js'

/**
 * An optional external classifier (an ML service a council may add later). It can only add
 * reasons to hide or review, never remove the built-in rules' findings; it is off by default
 * (`external.enabled`), and when it is slow or fails the built-in decision stands.
 */
export type ExternalVerdict = {
  categories: Array<{ category: Category; score: number; label?: string }>
}
export type ExternalClassifier = {
  name: string
  classify(input: ModerationInput, signal: AbortSignal): Promise<ExternalVerdict>
}

const VerdictSchema = z.object({
  categories: z.array(
    z.object({
      category: CategorySchema,
      score: z.number().min(0).max(1),
      label: z.string().optional(),
    }),
  ),
})

export async function moderateWithExternal(
  input: ModerationInput,
  policy: Policy,
  classifier?: ExternalClassifier,
): Promise<Decision> {
  const settings = policy.external
  if (!classifier || !settings.enabled) return moderate(input, policy)
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      controller.abort()
      resolve(null)
    }, settings.timeoutMs)
  })
  let verdict: ExternalVerdict | null
  try {
    const answer = await Promise.race([classifier.classify(input, controller.signal), timeout])
    verdict = answer === null ? null : VerdictSchema.parse(answer)
  } catch {
    verdict = null
  } finally {
    clearTimeout(timer)
  }
  if (!verdict) {
    const decision = moderate(input, policy)
    return { ...decision, modes: [...decision.modes, 'external_fallback'] }
  }
  const extra: Hit[] = []
  for (const { category, score, label } of verdict.categories) {
    if (score < settings.reviewAbove && score < settings.hideAbove) continue
    extra.push({
      rule: `external.${classifier.name}`,
      category,
      severity: score >= settings.hideAbove ? 'clear' : 'borderline',
      start: 0,
      end: input.text.length,
      explanation: `The ${classifier.name} classifier scored it ${score.toFixed(2)}${label ? ` (${label})` : ''}`,
    })
  }
  return moderateWith(input, policy, extra)
}

/**
 * A classifier behind HTTP: POST {text, platform} to `url`, expect
 * {categories: [{category, score}]}. `fetchFn` is injectable for tests.
 */
export function createHttpClassifier(
  name: string,
  url: string,
  fetchFn: typeof fetch = fetch,
): ExternalClassifier {
  return {
    name,
    async classify(input, signal) {
      const res = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: input.text, platform: input.platform }),
        signal,
      })
      if (!res.ok) throw new Error(`${name} answered ${res.status}`)
      return VerdictSchema.parse(await res.json())
    },
  }
}
