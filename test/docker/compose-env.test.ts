import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { parseEnv } from '../../src/config/env.js'

/**
 * There is no Docker engine here, so what can be checked without one is checked statically:
 * the compose file against .env.example and the service's own environment schema, and the
 * Dockerfile against what the build produces.
 */
type Service = {
  command?: string[]
  environment?: Record<string, string>
  env_file?: string
  volumes?: string[]
  image?: string
}
const compose = parse(readFileSync('docker/compose.yaml', 'utf8'), { merge: true }) as {
  services: Record<string, Service>
  volumes: Record<string, unknown>
}
const dockerfile = readFileSync('docker/Dockerfile', 'utf8')
const exampleNames = new Set(
  readFileSync('.env.example', 'utf8')
    .split('\n')
    .map((l) => l.match(/^([A-Z][A-Z0-9_]*)=/)?.[1])
    .filter((n): n is string => Boolean(n)),
)
const wardguard = Object.entries(compose.services).filter(([name]) => name.startsWith('wardguard'))

describe('docker/compose.yaml', () => {
  it('takes every variable it interpolates from .env, and each is in .env.example', () => {
    const text = readFileSync('docker/compose.yaml', 'utf8')
    const used = [...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] as string)
    expect(used).toContain('POSTGRES_PASSWORD')
    for (const name of used)
      expect(exampleNames, `${name} missing from .env.example`).toContain(name)
  })

  it('writes no password: Postgres and Wardguard both read it from .env, and refuse to start without it', () => {
    const pg = compose.services.postgres?.environment ?? {}
    expect(pg.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?.+\}$/)
    for (const [, svc] of wardguard) {
      expect(svc.environment?.DATABASE_URL).toMatch(/\$\{POSTGRES_PASSWORD:\?/)
      expect(svc.environment?.DATABASE_URL).not.toMatch(/:wardguard@/)
    }
  })

  it("sets only variables Wardguard knows, and each one is valid to Wardguard's own schema", () => {
    for (const [name, svc] of wardguard) {
      expect(svc.env_file, name).toBe('../.env')
      const env = Object.fromEntries(
        Object.entries(svc.environment ?? {}).map(([k, v]) => [
          k,
          v.replace(/\$\{POSTGRES_PASSWORD:\?[^}]*\}/, 'hex0123'),
        ]),
      )
      for (const key of Object.keys(env)) expect(exampleNames, `${name}: ${key}`).toContain(key)
      const parsed = parseEnv(env)
      expect(parsed.ok, JSON.stringify(parsed)).toBe(true)
    }
  })

  it('keeps /data (the generated session secret) in a named volume for every Wardguard container', () => {
    for (const [name, svc] of wardguard) {
      const data = (svc.volumes ?? []).find((v) => v.endsWith(':/data'))
      expect(data, name).toBeDefined()
      expect(Object.keys(compose.volumes)).toContain(data?.split(':')[0])
    }
  })

  it('runs commands the image offers (the entrypoint is the CLI)', () => {
    for (const [, svc] of wardguard) expect(svc.command?.[0]).toBe('start')
  })
})

describe('docker/Dockerfile', () => {
  it('builds on the current LTS Node, slim, in both stages', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])
    expect(froms).toEqual(['node:26-slim', 'node:26-slim'])
  })

  it('declares /data as a volume and runs the compiled CLI that the build writes', () => {
    expect(dockerfile).toMatch(/^VOLUME \/data$/m)
    expect(dockerfile).toContain('ENTRYPOINT ["node", "dist/src/cli/main.js"]')
    expect(readFileSync('scripts/build.mjs', 'utf8')).toContain("'src/audit/migrations'")
    // what the demo needs is copied into the build stage
    expect(dockerfile).toMatch(/^COPY test\/simulators /m)
    expect(dockerfile).toMatch(/^RUN npm ci --no-audit --no-fund$/m)
  })
})
