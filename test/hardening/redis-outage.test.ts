import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventsForSubject } from '../../src/audit/index.js'
import { freePort, ManagedRedis } from '../../src/queue/redis-server.js'
import { type Harness, startHarness, waitFor } from '../helpers/harness.js'
import { tempDir } from '../helpers/tmp.js'

/** Issue 11, item 6: with Redis away a webhook answers 503 at once, not after a minute. */
describe('a Redis outage', () => {
  const tmp = tempDir('wardguard-redis-outage-')
  let port: number
  let redis: ManagedRedis
  let h: Harness

  beforeAll(async () => {
    port = await freePort()
    redis = new ManagedRedis({ dataDir: tmp.dir, port })
    const url = await redis.start()
    h = await startHarness({ env: { REDIS_URL: url, ENQUEUE_TIMEOUT_MS: '1000' } })
  })
  afterAll(async () => {
    await h?.stop()
    await redis?.stop()
    tmp.cleanup()
  })

  it('answers 503 within about a second while Redis is down, and 200 again once it is back', async () => {
    await redis.stop()
    const started = Date.now()
    const refused = await h.deliver([{ text: 'When is the bin collection?' }])
    const ms = Date.now() - started
    expect(refused.status).toBe(503)
    expect(refused.body).toMatchObject({ error: { code: 'ingest_unavailable' } })
    expect(ms).toBeLessThan(5_000)

    redis = new ManagedRedis({ dataDir: tmp.dir, port })
    await redis.start()
    const ready = await waitFor(
      async () => (await fetch(`${h.service.url}/readyz`)).status,
      (s) => s === 200,
    )
    expect(ready).toBe(200)
    // the platform redelivers: this time it is queued and decided
    const accepted = await h.deliver([{ text: 'Thanks for fixing the street lights.' }])
    expect(accepted.status).toBe(200)
    const events = await waitFor(
      () => eventsForSubject(h.service.db, `facebook.${accepted.ids[0]}`),
      (e) => e.some((x) => x.type === 'decision.made'),
    )
    expect(events.some((e) => e.type === 'decision.made')).toBe(true)
  }, 60_000)
})

/** Faults are normal: a service whose Redis has gone stops by itself, it does not hang. */
describe('stopping while Redis is away', () => {
  const tmp = tempDir('wardguard-redis-gone-')

  afterAll(() => tmp.cleanup())

  it('shuts down within its budget and frees its port', async () => {
    const port = await freePort()
    const redis = new ManagedRedis({ dataDir: tmp.dir, port })
    const url = await redis.start()
    const h = await startHarness({ env: { REDIS_URL: url, ENQUEUE_TIMEOUT_MS: '1000' } })
    await h.deliver([{ text: 'When is the bin collection?' }])
    await redis.stop()

    const started = Date.now()
    await h.stop()
    expect(Date.now() - started).toBeLessThan(45_000)
    await expect(fetch(`${h.service.url}/healthz`)).rejects.toThrow()
  }, 90_000)
})
