import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import { AppError } from '../errors.js'

/**
 * One process at a time per embedded store. PGlite is a whole Postgres inside one process: two
 * processes opening one data directory each keep their own view and overwrite each other's pages,
 * so `wardguard users add` beside a running service "saved" a user the service never saw.
 *
 * The lock is a file beside the directory (`data/pglite.lock`) holding the owner's pid and host,
 * created with O_EXCL. A lock whose process has gone (a crash, SIGKILL) is taken over; one whose
 * process lives is refused with a message that says what to do.
 * @NOTE a pid, not a heartbeat: a service whose event loop is busy for a while still holds its
 * store, and no timer has to guess how long is too long.
 */
const LockSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  startedAt: z.string(),
  command: z.string().optional(),
})
type LockInfo = z.infer<typeof LockSchema>

export type StoreLock = { file: string; release: () => void }

/** Locks already taken in this process, counted: the same process may open its own store again. */
const held = new Map<string, { count: number; release: () => void }>()

export function lockFileFor(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`
}

/** Takes the lock on `dataDir` for this process, or throws a StoreLockedError naming the holder. */
export function lockStore(dataDir: string): StoreLock {
  const file = lockFileFor(dataDir)
  const mine = held.get(file)
  if (mine) {
    mine.count++
    return { file, release: once(() => releaseOne(file)) }
  }
  mkdirSync(path.dirname(file), { recursive: true })
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file)) {
      const onExit = () => rmSync(file, { force: true })
      // @NOTE a process that exits without closing (an uncaught error) leaves no lock behind
      process.on('exit', onExit)
      held.set(file, {
        count: 1,
        release: () => {
          process.off('exit', onExit)
          rmSync(file, { force: true })
        },
      })
      return { file, release: once(() => releaseOne(file)) }
    }
    const owner = readOwner(file)
    if (owner && isAlive(owner)) throw new StoreLockedError(dataDir, owner)
    // a file without an owner yet may be one being written this instant
    if (!owner && isFresh(file)) throw new StoreLockedError(dataDir, null)
    // the owner has gone (or the file is unreadable and old): take the lock over
    rmSync(file, { force: true })
  }
  throw new StoreLockedError(dataDir, readOwner(file))
}

export class StoreLockedError extends AppError {
  name = 'StoreLockedError'
  readonly owner: LockInfo | null

  constructor(dataDir: string, owner: LockInfo | null) {
    const where = path.relative(process.cwd(), path.resolve(dataDir)) || dataDir
    const who = owner
      ? `process ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ''} (${owner.command ? `wardguard ${owner.command}, ` : ''}since ${owner.startedAt})`
      : 'another wardguard process'
    super(
      'dependency_unavailable',
      `the embedded audit store in ${where} is in use by ${who}.\n` +
        'The embedded store belongs to one process at a time, so this command would not reach the running service.\n' +
        'Stop the service first (Ctrl-C in its terminal), run this command, then start it again;\n' +
        'or use Postgres (DATABASE_URL), which the service and these commands can share while it runs.',
      { retryable: true },
    )
    this.owner = owner
  }
}

function tryCreate(file: string): boolean {
  let fd: number
  try {
    fd = openSync(file, 'wx', 0o600)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv[2],
  }
  try {
    writeSync(fd, `${JSON.stringify(info)}\n`)
  } finally {
    closeSync(fd)
  }
  return true
}

function readOwner(file: string): LockInfo | null {
  try {
    const parsed = LockSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

function isFresh(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < 2_000
  } catch {
    return false
  }
}

function isAlive(owner: LockInfo): boolean {
  // another machine's process cannot be checked from here: assume it runs
  if (owner.host !== hostname()) return true
  // our own pid in a stale file: a container restarted as pid 1 again, say
  if (owner.pid === process.pid) return false
  try {
    process.kill(owner.pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists, run by another user
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function releaseOne(file: string): void {
  const mine = held.get(file)
  if (!mine) return
  mine.count--
  if (mine.count > 0) return
  held.delete(file)
  mine.release()
}

function once(fn: () => void): () => void {
  let done = false
  return () => {
    if (done) return
    done = true
    fn()
  }
}
