import { describe, expect, it } from 'vitest'
import {
  createHttpClassifier,
  type ExternalClassifier,
  moderateWithExternal,
  withOverrides,
} from '../../src/moderation/index.js'
import { withModel } from '../../src/moderation/policy.js'
import { policy as shipped } from './helpers.js'

// @NOTE the external classifier's own contract, apart from the built-in trained model
const policy = withModel(shipped, null)

const enabled = withOverrides(policy, {
  external: { enabled: true, timeoutMs: 50, hideAbove: 0.9, reviewAbove: 0.6 },
})
const input = { text: 'a perfectly ordinary comment', platform: 'facebook' as const }

function classifier(answer: () => Promise<unknown>): ExternalClassifier {
  return { name: 'test-ml', classify: () => answer() as never }
}

describe('external classifier', () => {
  it('is ignored when the policy leaves it off', async () => {
    const d = await moderateWithExternal(
      input,
      policy,
      classifier(async () => ({ categories: [{ category: 'hate', score: 1 }] })),
    )
    expect(d.action).toBe('allow')
  })

  it('adds a hide when it is sure and a review when it is unsure', async () => {
    const sure = await moderateWithExternal(
      input,
      enabled,
      classifier(async () => ({ categories: [{ category: 'hate', score: 0.95 }] })),
    )
    expect(sure.action).toBe('hide')
    expect(sure.reasons[0]?.rule).toBe('external.test-ml')
    const unsure = await moderateWithExternal(
      input,
      enabled,
      classifier(async () => ({ categories: [{ category: 'harassment', score: 0.7 }] })),
    )
    expect(unsure.action).toBe('review')
  })

  it('falls back to the built-in rules when it times out', async () => {
    const slow = classifier(
      () =>
        new Promise((resolve) =>
          setTimeout(() => resolve({ categories: [{ category: 'hate', score: 1 }] }), 500),
        ),
    )
    const d = await moderateWithExternal({ ...input, text: 'you utter twat' }, enabled, slow)
    expect(d.action).toBe('hide')
    expect(d.modes).toContain('external_fallback')
    expect(d.reasons.every((r) => !r.rule.startsWith('external'))).toBe(true)
  })

  it('falls back when it fails or answers nonsense', async () => {
    expect(
      (
        await moderateWithExternal(
          input,
          enabled,
          classifier(async () => Promise.reject(new Error('down'))),
        )
      ).modes,
    ).toContain('external_fallback')
    expect(
      (
        await moderateWithExternal(
          input,
          enabled,
          classifier(async () => ({ nope: true })),
        )
      ).modes,
    ).toContain('external_fallback')
  })

  it('posts the text to an HTTP classifier and reads its scores', async () => {
    const seen: unknown[] = []
    const fakeFetch = (async (_url: string, init: RequestInit) => {
      seen.push(JSON.parse(String(init.body)))
      return new Response(JSON.stringify({ categories: [{ category: 'spam', score: 0.99 }] }), {
        status: 200,
      })
    }) as typeof fetch
    const d = await moderateWithExternal(
      input,
      enabled,
      createHttpClassifier('http-ml', 'http://classifier.test/score', fakeFetch),
    )
    expect(seen).toEqual([{ text: input.text, platform: 'facebook' }])
    expect(d.action).toBe('hide')
    expect(d.categories).toEqual(['spam'])
  })
})
