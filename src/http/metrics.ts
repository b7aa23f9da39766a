import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/**
 * Prometheus metrics for one service instance. A registry per instance (not the global one)
 * so tests can run several services in one process.
 */
export type Metrics = ReturnType<typeof createMetrics>

export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry()
  if (opts.defaultMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'wardguard_' })
  return {
    registry,
    httpRequests: new Counter({
      name: 'wardguard_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'wardguard_http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    decisions: new Counter({
      name: 'wardguard_decisions_total',
      help: 'Moderation decisions by platform and outcome (allow, hide, review)',
      labelNames: ['platform', 'action'] as const,
      registers: [registry],
    }),
    decisionCategories: new Counter({
      name: 'wardguard_decision_categories_total',
      help: 'Categories found in moderated comments',
      labelNames: ['category'] as const,
      registers: [registry],
    }),
    platformActions: new Counter({
      name: 'wardguard_platform_actions_total',
      help: 'Platform actions carried out, by platform, action and result',
      labelNames: ['platform', 'action', 'result'] as const,
      registers: [registry],
    }),
    queueJobs: new Gauge({
      name: 'wardguard_queue_jobs',
      help: 'Jobs per queue and state, read from Redis when scraped',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
    }),
  }
}
