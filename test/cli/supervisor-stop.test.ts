import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isAlive } from '../helpers/process.js'
import { tempDir } from '../helpers/tmp.js'

/**
 * What a process supervisor, a terminal multiplexer or a script does: start the README's own
 * command, `npx wardguard start`, and later send SIGTERM to the pid it started — npx's, not
 * wardguard's. Everything must stop: the wardguard process, its private redis-server, the port.
 */
async function startAndTerminate(
  dataDir: string,
  extraEnv: Record<string, string>,
): Promise<{ npxCode: number | null; wardguardPid: number; redisPid: number; port: number }> {
  const npx = spawn('npx', ['wardguard', 'start', '--port', '0'], {
    cwd: path.resolve('.'),
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  npx.stdout.on('data', (d) => {
    output += d
  })
  npx.stderr.on('data', (d) => {
    output += d
  })
  const exited = new Promise<number | null>((r) => npx.on('exit', (code) => r(code)))
  const deadline = Date.now() + 120_000
  let port = 0
  for (;;) {
    const m = output.match(/running at http:\/\/127\.0\.0\.1:(\d+)/)
    if (m) {
      port = Number(m[1])
      break
    }
    if (Date.now() > deadline || npx.exitCode !== null) throw new Error(output)
    await new Promise((r) => setTimeout(r, 200))
  }
  // the store's lock names the process that really serves; redis-server writes its own pid file
  const wardguardPid = JSON.parse(readFileSync(`${dataDir}/pglite.lock`, 'utf8')).pid as number
  const redisPid = Number(readFileSync(`${dataDir}/redis/redis-server.pid`, 'utf8'))
  leftovers.push(wardguardPid, redisPid)
  expect(wardguardPid).not.toBe(npx.pid)
  expect(isAlive(wardguardPid) && isAlive(redisPid)).toBe(true)

  npx.kill('SIGTERM')
  const npxCode = await exited
  await waitUntil(() => !isAlive(wardguardPid) && !isAlive(redisPid), 60_000)
  return { npxCode, wardguardPid, redisPid, port }
}

/** pids to end should a test fail half-way, so nothing outlives the suite */
const leftovers: number[] = []

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

describe('stopping `npx wardguard start` as a supervisor does', () => {
  const tmp = tempDir('wardguard-supervisor-')
  afterAll(() => {
    for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
    tmp.cleanup()
  })

  it('SIGTERM to the npx process stops wardguard and its private redis-server and frees the port', async () => {
    const r = await startAndTerminate(path.join(tmp.dir, 'bash'), {})
    expect(isAlive(r.wardguardPid)).toBe(false)
    expect(isAlive(r.redisPid)).toBe(false)
    expect(await portAnswers(r.port)).toBe(false)
  }, 240_000)

  it('also stops when npx runs it through a shell that does not pass the signal on (sh)', async () => {
    // @NOTE without .npmrc's script-shell=/bin/bash, npx runs `sh -c wardguard`, and dash dies on
    // SIGTERM leaving its child; wardguard notices that its parent has gone and stops itself
    const r = await startAndTerminate(path.join(tmp.dir, 'sh'), {
      npm_config_script_shell: '/bin/sh',
    })
    expect(isAlive(r.wardguardPid)).toBe(false)
    expect(isAlive(r.redisPid)).toBe(false)
    expect(await portAnswers(r.port)).toBe(false)
  }, 240_000)
})
