import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

/**
 * Whether a process with this pid is still running (signal 0 checks without touching it).
 * @NOTE a process that has exited but whose parent died first waits as a zombie until the
 * machine's init reaps it, and a container's init may never: on Linux that counts as gone.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))
  } catch {
    return true
  }
}

/**
 * Runs the real CLI (bin/wardguard.js) to completion in `cwd`, with a clean environment plus
 * `env`, and returns its exit code and output. For commands that finish on their own.
 */
export async function runCli(
  args: string[],
  opts: { env?: Record<string, string>; cwd: string },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bin = new URL('../../bin/wardguard.js', import.meta.url).pathname
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: opts.cwd, LOG_LEVEL: 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => {
    stdout += d
  })
  child.stderr.on('data', (d) => {
    stderr += d
  })
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, stdout, stderr }
}
