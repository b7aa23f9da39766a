import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // @NOTE suites start their own redis-server and PGlite; two cores, so keep forks few
    pool: 'forks',
    maxWorkers: 2,
    env: { NODE_ENV: 'test' },
    reporters: ['default', './test/reporters/summary-line.ts'],
  },
})
