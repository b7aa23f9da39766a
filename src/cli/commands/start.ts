import type { Command } from 'commander'
import { loadServiceConfig } from '../load-service-config.js'
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
      const service = await WardguardService.start(config, {
        role: opts.role as 'web' | 'worker' | 'all',
        port: opts.port === undefined ? undefined : Number(opts.port),
      })
      if (service.url)
        process.stdout.write(`wardguard is running at ${service.url} (Ctrl-C to stop)\n`)
      await stopOnSignal(() => service.stop(), config.env.SHUTDOWN_TIMEOUT_MS)
    })
}

/** Resolves after a clean stop on SIGINT/SIGTERM; a second signal or a stuck stop forces exit. */
export function stopOnSignal(stop: () => Promise<void>, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`wardguard: ${signal} again, exiting now\n`)
        process.exit(130)
      }
      stopping = true
      process.stderr.write(`wardguard: ${signal} received, finishing in-flight work…\n`)
      const timer = setTimeout(() => {
        process.stderr.write(`wardguard: shutdown took longer than ${timeoutMs} ms, exiting\n`)
        process.exit(1)
      }, timeoutMs)
      timer.unref()
      stop().then(() => {
        clearTimeout(timer)
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
        resolve()
      }, reportAndExit)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}
