import path from 'node:path'
import type { Command } from 'commander'
import { loadServiceConfig } from '../load-service-config.js'
import { nextSteps } from '../next-steps.js'
import { reportAndExit } from '../report-error.js'

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'run the service: webhooks, workers, audit store (own Redis and PGlite by default)',
    )
    .option('--role <role>', 'web (HTTP only), worker (queues only) or all', 'all')
    .option('--port <port>', 'HTTP port (default: PORT or 3000)')
    .action(async (opts: { role: string; port?: string }) => {
      if (!['web', 'worker', 'all'].includes(opts.role)) {
        reportAndExit(new Error(`--role must be web, worker or all (got ${opts.role})`))
      }
      const config = await loadServiceConfig()
      // @NOTE imported here so that `classify` and `policy` never load BullMQ or PGlite
      const { WardguardService } = await import('../../service.js')
      const starting = WardguardService.start(config, {
        role: opts.role as 'web' | 'worker' | 'all',
        port: opts.port === undefined ? undefined : Number(opts.port),
      })
      // @NOTE listening before the service is up: a supervisor's SIGTERM (or the parent going)
      // during a slow first start still stops everything, once it has started
      const stopped = stopOnSignal(async () => {
        const service = await starting.catch(() => null)
        await service?.stop()
      }, config.env.SHUTDOWN_TIMEOUT_MS)
      const service = await starting
      if (service.url) {
        process.stdout.write(`wardguard is running at ${service.url} (Ctrl-C to stop)\n`)
        const { listUsers } = await import('../../web/users.js')
        const users = await listUsers(service.db).then(
          (l) => l.length,
          () => 1,
        )
        process.stdout.write(
          nextSteps({
            url: service.url,
            users,
            accounts: service.pipeline.accounts.all().length,
            sharedStore: Boolean(config.env.DATABASE_URL),
            configPath: config.configPath && path.relative(process.cwd(), config.configPath),
          }),
        )
      }
      await stopped
    })
}

/** The signals that mean "stop": Ctrl-C, a supervisor, a closed terminal. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * Resolves after a clean stop on SIGINT, SIGTERM or SIGHUP, or when the process that started this
 * one goes away; a second signal or a stuck stop forces exit.
 */
export function stopOnSignal(stop: () => Promise<void>, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false
    const onSignal = (signal: NodeJS.Signals | 'parent-gone') => {
      if (stopping) {
        process.stderr.write(`wardguard: ${signal} again, exiting now\n`)
        process.exit(130)
      }
      stopping = true
      stopWatching()
      const why = signal === 'parent-gone' ? 'the process that started it has gone' : signal
      process.stderr.write(`wardguard: ${why}, finishing in-flight work…\n`)
      const timer = setTimeout(() => {
        process.stderr.write(`wardguard: shutdown took longer than ${timeoutMs} ms, exiting\n`)
        process.exit(1)
      }, timeoutMs)
      timer.unref()
      stop().then(() => {
        clearTimeout(timer)
        for (const s of STOP_SIGNALS) process.off(s, onSignal)
        resolve()
      }, reportAndExit)
    }
    for (const s of STOP_SIGNALS) process.on(s, onSignal)
    const stopWatching = watchParent(() => onSignal('parent-gone'))
  })
}

/**
 * Calls `onGone` once the parent process has exited.
 * @NOTE `npx wardguard start` runs us as npm → sh -c → node. A supervisor's SIGTERM reaches npm,
 * which passes it to `sh`, and dash dies without passing it on: node would keep serving, with its
 * private redis-server, orphaned. Linux gives no parent-death signal to Node, so the parent id is
 * checked each second: once the parent has gone, we are reparented and it changes.
 * (.npmrc's script-shell=/bin/bash makes the shell exec node, so the signal usually arrives first.)
 */
export function watchParent(onGone: () => void, everyMs = 1_000): () => void {
  const parent = process.ppid
  // pid 1's children (a container's entrypoint, a systemd service) have no parent to lose
  if (parent <= 1) return () => undefined
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    onGone()
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
