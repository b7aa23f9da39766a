import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness, waitFor } from '../helpers/harness.js'

/**
 * Issue 16: under a pile-on the act queue goes as fast as the Page's own rate-limit budget
 * allows (read from Graph's usage headers), is never throttled, and hides threats and personal
 * data before the rest.
 */
describe('a pile-on against a Page with a small rate-limit budget', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
    // Graph's Pages limit, shrunk so that a pile-on of 60 fills it within seconds
    h.graph.usage.limits = { callsPerWindow: 40, windowMs: 3_000 }
  })
  afterAll(() => h?.stop())

  const hideTimes = () => {
    const at = new Map<string, number>()
    for (const r of h.graph.requests) {
      const id = r.path.split('/').at(-1) ?? ''
      if (r.method === 'POST' && String(r.body.is_hidden) === 'true' && !at.has(id))
        at.set(id, r.at)
    }
    return at
  }

  it('hides every abusive comment, personal data first, without one throttled call', async () => {
    const abuse = await h.deliver(
      Array.from({ length: 60 }, (_, i) => ({ text: `you fucking twat ${i}` })),
    )
    expect(abuse.status).toBe(200)
    // the budget is filling and a queue has formed when the urgent ones arrive
    await waitFor(
      async () => hideTimes().size,
      (n) => n >= 15,
      30_000,
    )
    const doxxing = await h.deliver(
      Array.from({ length: 3 }, (_, i) => ({
        text: `Call her on 07700 90012${i}, she lives at ${i + 14} Elm Road`,
      })),
    )
    expect(doxxing.status).toBe(200)

    const all = [...abuse.ids, ...doxxing.ids]
    const times = await waitFor(
      async () => hideTimes(),
      (t) => all.every((id) => t.has(id)),
      60_000,
    )
    expect(all.filter((id) => !h.graph.state.comment(id)?.isHidden)).toEqual([])
    expect(h.graph.usage.throttled).toBe(0)

    // the personal data went ahead of the abuse still waiting when it arrived
    const lastUrgent = Math.max(...doxxing.ids.map((id) => times.get(id) ?? 0))
    const abuseAfter = abuse.ids.filter((id) => (times.get(id) ?? 0) > lastUrgent)
    expect(abuseAfter.length).toBeGreaterThanOrEqual(10)
  }, 120_000)
})
