import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src/errors.js'
import { findRedisServer, ManagedRedis } from '../../src/queue/redis-server.js'
import { isAlive } from '../helpers/process.js'
import { tempDir } from '../helpers/tmp.js'

describe('ManagedRedis', () => {
  const tmp = tempDir()
  afterAll(() => tmp.cleanup())

  it('starts a private loopback redis-server with AOF under DATA_DIR and stops it', async () => {
    const managed = new ManagedRedis({ dataDir: tmp.dir })
    const url = await managed.start()
    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/)
    const pid = managed.pid as number
    const client = new Redis(url)
    await client.set('wg-test', 'kept')
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes'])
    client.disconnect()
    await managed.stop()
    expect(isAlive(pid)).toBe(false)
    const files = readdirSync(path.join(tmp.dir, 'redis'), { recursive: true }).map(String)
    expect(files.some((f) => f.includes('appendonly'))).toBe(true)
    expect(existsSync(path.join(tmp.dir, 'redis', 'redis-server.pid'))).toBe(false)
  })

  it('serves this process over a Unix socket only its user can open, and TCP for others', async () => {
    const managed = new ManagedRedis({ dataDir: path.join(tmp.dir, 'socket') })
    await managed.start()
    try {
      expect(managed.local).toBe(path.join(tmp.dir, 'socket', 'redis', 'redis.sock'))
      expect(statSync(managed.local).mode & 0o777).toBe(0o700)
      const overSocket = new Redis(managed.local)
      await overSocket.set('wg-socket', 'same server')
      const overTcp = new Redis(managed.url)
      expect(await overTcp.get('wg-socket')).toBe('same server')
      overSocket.disconnect()
      overTcp.disconnect()
    } finally {
      await managed.stop()
    }
  })

  it('falls back to loopback TCP when DATA_DIR is too deep for a socket path', async () => {
    const managed = new ManagedRedis({ dataDir: path.join(tmp.dir, 'd'.repeat(120)) })
    await managed.start()
    try {
      expect(managed.local).toBe(managed.url)
      const client = new Redis(managed.local)
      expect(await client.ping()).toBe('PONG')
      client.disconnect()
    } finally {
      await managed.stop()
    }
  })

  it('keeps data across restarts in the same folder', async () => {
    const first = new ManagedRedis({ dataDir: tmp.dir })
    const client = new Redis(await first.start())
    await client.set('wg-persist', 'yes')
    client.disconnect()
    await first.stop()
    const second = new ManagedRedis({ dataDir: tmp.dir })
    const again = new Redis(await second.start())
    expect(await again.get('wg-persist')).toBe('yes')
    again.disconnect()
    await second.stop()
  })

  it('cleans up a server orphaned by a crashed parent before starting', async () => {
    const orphaned = new ManagedRedis({ dataDir: tmp.dir })
    await orphaned.start()
    const orphanPid = orphaned.pid as number
    // simulate the parent dying: nobody calls stop(); the pid file stays behind
    const next = new ManagedRedis({ dataDir: tmp.dir })
    await next.start()
    await new Promise((r) => setTimeout(r, 300))
    expect(isAlive(orphanPid)).toBe(false)
    await next.stop()
  })

  it('takes its server with it when the process exits without stopping it', async () => {
    const dir = path.join(tmp.dir, 'exits')
    // a process that starts a server and dies of an uncaught error, as a crashed benchmark does
    const script = `import { ManagedRedis } from ${JSON.stringify(path.resolve('src/queue/redis-server.ts'))}
      const managed = new ManagedRedis({ dataDir: ${JSON.stringify(dir)} })
      await managed.start()
      console.log(managed.pid)
      throw new Error('crashed')`
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'silent' },
      },
    )
    expect(run.status).not.toBe(0)
    const pid = Number(run.stdout.trim().split('\n').at(-1))
    expect(pid).toBeGreaterThan(0)
    await new Promise((r) => setTimeout(r, 300))
    expect(isAlive(pid)).toBe(false)
  })

  it('says how to get redis-server when none is on PATH', () => {
    expect(() => findRedisServer(undefined, ['/nonexistent'])).toThrow(
      /no redis-server was found on PATH.*apt install redis-server.*brew install redis.*docker compose/,
    )
    try {
      findRedisServer('/nonexistent/redis-server')
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(AppError)
      expect((err as AppError).message).toContain('REDIS_SERVER_BIN')
    }
  })
})
