import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventsForSubject, getSnapshot } from '../../src/audit/index.js'
import { type Harness, startHarness, waitFor } from '../helpers/harness.js'

/** Issue 11, item 7: comment text does not linger in Redis once its job has completed. */
describe('completed moderate jobs', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(async () => {
    await h?.stop()
  })

  it('keep only ids and hashes: the text and the author name live in the audit store alone', async () => {
    const text = 'Mrs Example of 12 Elm Road rang me about the potholes'
    const res = await h.deliver([{ text, author: 'Jane Resident' }])
    const subjectKey = `facebook.${res.ids[0]}`
    await waitFor(
      () => eventsForSubject(h.service.db, subjectKey),
      (e) => e.some((x) => x.type === 'decision.made'),
    )
    const queue = h.service.pipeline.queues.moderate
    const job = await waitFor(
      async () =>
        (await queue.getCompleted()).find((j) => JSON.stringify(j.data).includes(subjectKey)),
      (j) => Boolean(j?.data && 'textRemoved' in (j.data as object)),
    )
    const stored = JSON.stringify(job?.data)
    expect(stored).toContain(subjectKey)
    expect(stored).not.toContain('Elm Road')
    expect(stored).not.toContain('Jane Resident')
    expect((await getSnapshot(h.service.db, subjectKey))?.text).toBe(text)
  })
})
