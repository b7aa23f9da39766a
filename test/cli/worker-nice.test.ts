import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManagedRedis } from '../../src/queue/redis-server.js'
import { tempDir, writeFile } from '../helpers/tmp.js'

const PG_URL = process.env.TEST_DATABASE_URL

/** The nice value of a running process, from /proc (field 19 of stat). */
function niceOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // @NOTE the command name (field 2) may hold spaces; count fields after its closing parenthesis
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[16])
}

/**
 * A `--role worker` process gives way to the web process on a shared machine, which is what
 * keeps webhook acknowledgements fast while moderation is busy (bench/pipeline.ts --split).
 */
describe.skipIf(!PG_URL)('wardguard start --role worker', () => {
  const tmp = tempDir('wardguard-nice-')
  const dbName = `wg_nice_${randomBytes(4).toString('hex')}`
  let admin: pg.Client
  let redis: ManagedRedis
  let env: Record<string, string>

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    await admin.query(`create database ${dbName}`)
    redis = new ManagedRedis({ dataDir: tmp.dir })
    const url = new URL(PG_URL as string)
    url.pathname = `/${dbName}`
    env = {
      PATH: process.env.PATH ?? '',
      HOME: tmp.dir,
      LOG_LEVEL: 'info',
      DATA_DIR: tmp.dir,
      REDIS_URL: await redis.start(),
      DATABASE_URL: url.toString(),
      WARDGUARD_CONFIG: writeFile(tmp.dir, 'wardguard.yaml', 'accounts: []\n'),
    }
  }, 60_000)
  afterAll(async () => {
    await redis?.stop()
    await admin?.query(`drop database if exists ${dbName} with (force)`).catch(() => undefined)
    await admin?.end()
    tmp.cleanup()
  })

  const startWorker = async (extra: Record<string, string>) => {
    const child = spawn(
      process.execPath,
      [path.resolve('bin/wardguard.js'), 'start', '--role', 'worker'],
      { cwd: tmp.dir, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    child.stderr.on('data', (d) => {
      out += d
    })
    const deadline = Date.now() + 30_000
    while (!out.includes('wardguard started')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`not started:\n${out}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    const nice = niceOf(child.pid as number)
    child.kill('SIGINT')
    const code = await new Promise<number | null>((r) => child.on('exit', r))
    return { nice, code }
  }

  it('runs at a lower CPU priority (nice 10) by default, and stops cleanly', async () => {
    const own = niceOf(process.pid)
    const { nice, code } = await startWorker({})
    expect(nice).toBe(Math.max(own, 10))
    expect(code).toBe(0)
  }, 60_000)

  it('leaves its priority alone with WORKER_NICE=0', async () => {
    const { nice } = await startWorker({ WORKER_NICE: '0' })
    expect(nice).toBe(niceOf(process.pid))
  }, 60_000)
})
