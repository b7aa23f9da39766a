import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createHttpApp } from '../../src/http/app.js'
import { createMetrics } from '../../src/http/metrics.js'

const METRICS_TOKEN = 'metrics-token-for-the-tests'

function makeApp(checks: { name: string; check: () => Promise<void> }[] = []) {
  const echo = new Hono().post('/', async (c) => c.json({ size: (await c.req.text()).length }))
  return createHttpApp({
    logger: pino({ level: 'silent' }),
    metrics: createMetrics({ defaultMetrics: false }),
    bodyLimitBytes: 1_000,
    checks,
    metricsToken: METRICS_TOKEN,
    mounts: [['/echo', echo]],
  })
}

describe('http app', () => {
  it('answers /healthz while the process is up', async () => {
    const res = await makeApp().request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('reports ready only when every dependency answers', async () => {
    const ok = makeApp([{ name: 'redis', check: async () => undefined }])
    expect((await ok.request('/readyz')).status).toBe(200)
    const failing = makeApp([
      { name: 'redis', check: async () => undefined },
      { name: 'audit_store', check: () => Promise.reject(new Error('down')) },
    ])
    const res = await failing.request('/readyz')
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({
      status: 'not_ready',
      checks: { redis: 'ok', audit_store: 'failing' },
    })
  })

  it('treats a dependency that hangs as not ready within a second or so', async () => {
    const app = makeApp([{ name: 'redis', check: () => new Promise(() => undefined) }])
    const res = await app.request('/readyz')
    expect(res.status).toBe(503)
  })

  it('refuses bodies over the limit with 413 and keeps serving', async () => {
    const app = makeApp()
    const big = await app.request('/echo', { method: 'POST', body: 'x'.repeat(5_000) })
    expect(big.status).toBe(413)
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('body_too_large')
    const small = await app.request('/echo', { method: 'POST', body: 'hello' })
    expect(await small.json()).toEqual({ size: 5 })
  })

  it('on a real server, refuses declared and chunked bodies over the limit and reads the rest', async () => {
    const server = serve({ fetch: makeApp().fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise((r) => server.once('listening', r))
    const { port } = server.address() as AddressInfo
    const post = (body: string, chunked: boolean) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/echo', method: 'POST' }, (res) => {
          let text = ''
          res.on('data', (d) => (text += d))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        })
        req.on('error', reject)
        if (!chunked) req.setHeader('content-length', Buffer.byteLength(body))
        // @NOTE two writes without a declared length: Node sends them chunked
        req.write(body.slice(0, 10))
        req.end(body.slice(10))
      })
    try {
      expect(await post('y'.repeat(900), false)).toEqual({ status: 200, text: '{"size":900}' })
      expect((await post('y'.repeat(5_000), false)).status).toBe(413)
      expect(await post('z'.repeat(900), true)).toEqual({ status: 200, text: '{"size":900}' })
      const chunkedBig = await post('z'.repeat(5_000), true)
      expect(chunkedBig.status).toBe(413)
      expect(chunkedBig.text).toContain('body_too_large')
    } finally {
      await new Promise((r) => server.close(r))
    }
  })

  it('echoes a safe x-request-id and mints one otherwise', async () => {
    const app = makeApp()
    const given = await app.request('/healthz', { headers: { 'x-request-id': 'abc-123' } })
    expect(given.headers.get('x-request-id')).toBe('abc-123')
    const unsafe = await app.request('/healthz', {
      headers: {
        'x-request-id':
          'evil;header="x" and far too long to be an id at all, really far too long for one',
      },
    })
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('exposes Prometheus metrics with request counts by route', async () => {
    const app = makeApp()
    await app.request('/healthz')
    await app.request('/nowhere')
    expect((await app.request('/metrics')).status).toBe(401)
    const res = await app.request('/metrics', {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    })
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toContain(
      'wardguard_http_requests_total{method="GET",route="/healthz",status="200"} 1',
    )
    expect(text).toContain('route="unmatched",status="404"')
    expect(text).toContain('# TYPE wardguard_decisions_total counter')
  })
})
