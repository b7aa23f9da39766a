import { type ChildProcess, spawn } from 'node:child_process'
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { AppError } from '../errors.js'
import { serviceLogger } from '../logger.js'

const INSTALL_HINT =
  'Install it (Debian/Ubuntu: sudo apt install redis-server; macOS: brew install redis), ' +
  'set REDIS_URL to an existing Redis, or run the stack with docker compose -f docker/compose.yaml up.'

/** Finds redis-server on PATH (and the usual sbin folders, which PATH often lacks). */
export function findRedisServer(explicit?: string, searchDirs = defaultSearchDirs()): string {
  if (explicit) {
    if (isExecutable(explicit)) return explicit
    throw new AppError(
      'dependency_missing',
      `REDIS_SERVER_BIN: ${explicit} is not an executable file`,
    )
  }
  for (const dir of searchDirs) {
    const candidate = path.join(dir, 'redis-server')
    if (isExecutable(candidate)) return candidate
  }
  throw new AppError(
    'dependency_missing',
    `REDIS_URL is not set and no redis-server was found on PATH. ${INSTALL_HINT}`,
  )
}

function defaultSearchDirs(): string[] {
  const fromPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)
  return [...fromPath, '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin']
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

export type ManagedRedisOptions = { dataDir: string; binary?: string; port?: number }

/**
 * A private redis-server for a single-machine install: loopback only, data (AOF) under
 * DATA_DIR/redis, stopped when Wardguard stops. A pid file lets the next start clean up a
 * server orphaned by a crash (e.g. kill -9 of the parent).
 */
export class ManagedRedis {
  readonly dataDir: string
  readonly binary: string
  /** redis://127.0.0.1:port, for other processes (a CLI, a test) */
  url = ''
  /**
   * What this process should connect to: the Unix socket when there is one, else `url`.
   * @NOTE measured here, a command over the socket costs about 40 % less CPU than over loopback
   * TCP, and on the default install that CPU is the HTTP thread's (issue 16)
   */
  local = ''
  private child: ChildProcess | null = null
  private readonly requestedPort: number | undefined

  constructor(opts: ManagedRedisOptions) {
    this.dataDir = path.resolve(opts.dataDir, 'redis')
    this.binary = findRedisServer(opts.binary)
    this.requestedPort = opts.port
  }

  get pid(): number | null {
    return this.child?.pid ?? null
  }

  async start(): Promise<string> {
    mkdirSync(this.dataDir, { recursive: true })
    this.killOrphan()
    const port = this.requestedPort ?? (await freePort())
    const socket = socketPathFor(this.dataDir)
    // biome-ignore format: flag/value pairs read better side by side
    const args = [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--dir', this.dataDir,
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--save', '',
      '--maxmemory-policy', 'noeviction',
      '--protected-mode', 'yes',
      '--daemonize', 'no',
      '--logfile', '',
      // only this user may open the socket (a TCP port on loopback is open to every local user,
      // which is why protected mode stays on for it)
      ...(socket ? ['--unixsocket', socket, '--unixsocketperm', '700'] : []),
    ]
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    writeFileSync(this.pidFile(), String(child.pid))
    // @NOTE a process that exits without stop() (an uncaught error, a crashed benchmark in a
    // scratch folder no later start will look in) takes its server with it; SIGTERM still
    // flushes the AOF. Only kill -9 leaves an orphan, which the pid file is for.
    const onExit = () => {
      if (child.exitCode === null) child.kill('SIGTERM')
    }
    process.on('exit', onExit)
    child.once('exit', () => process.off('exit', onExit))
    await waitForReady(child, port)
    this.url = `redis://127.0.0.1:${port}`
    this.local = socket ?? this.url
    serviceLogger.info(
      { port, socket: socket ?? null, dataDir: this.dataDir },
      'started private redis-server',
    )
    return this.url
  }

  async stop(): Promise<void> {
    const child = this.child
    this.child = null
    if (!child || child.exitCode !== null) return
    // @NOTE SIGTERM makes redis fsync the AOF and exit cleanly
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
    rmSync(this.pidFile(), { force: true })
    serviceLogger.info('stopped private redis-server')
  }

  private pidFile(): string {
    return path.join(this.dataDir, 'redis-server.pid')
  }

  private killOrphan(): void {
    let pid: number
    try {
      pid = Number(readFileSync(this.pidFile(), 'utf8'))
    } catch {
      return
    }
    if (!Number.isInteger(pid) || pid <= 1) return
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      if (!cmdline.includes('redis-server')) return
      process.kill(pid, 'SIGTERM')
      serviceLogger.warn({ pid }, 'stopped a redis-server left behind by an earlier run')
    } catch {
      // not running any more, or no /proc (macOS): nothing to clean up
    }
  }
}

// @NOTE sun_path holds 108 bytes on Linux (104 on macOS): a deeper DATA_DIR falls back to TCP
const MAX_SOCKET_PATH = 100

function socketPathFor(dir: string): string | undefined {
  const socket = path.join(dir, 'redis.sock')
  return process.platform !== 'win32' && Buffer.byteLength(socket) <= MAX_SOCKET_PATH
    ? socket
    : undefined
}

function waitForReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(
      () => fail(new Error('redis-server did not become ready in 10 s')),
      10_000,
    )
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) {
        cleanup()
        resolve()
      }
    }
    const onExit = (code: number | null) =>
      fail(new Error(`redis-server exited with code ${code} before it was ready`))
    function cleanup() {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.off('exit', onExit)
    }
    function fail(err: Error) {
      cleanup()
      child.kill('SIGKILL')
      const tail = output.trim().split('\n').slice(-3).join(' | ')
      reject(
        new AppError('dependency_missing', `${err.message} (port ${port}). Last output: ${tail}`),
      )
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', onExit)
  })
}
