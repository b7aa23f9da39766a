import type { Command } from 'commander'
import type { DemoOptions } from '../../demo/run-demo.js'
import { stopOnSignal } from './start.js'

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'replay sample comments through the whole service against local platform simulators',
    )
    .option(
      '--keep',
      'keep it running afterwards, with a sign-in for the audit web app, until Ctrl-C; keep its data',
    )
    .action(async (opts: { keep?: boolean }) => {
      // @NOTE a computed specifier: the demo runs the simulators under test/, which the compiled
      // build carries too (dist/test/simulators), and other commands never load them
      const runner = '../../demo/run-demo.js'
      const { runDemo } = (await import(runner)) as {
        runDemo: (out: NodeJS.WritableStream, opts: DemoOptions) => Promise<void>
      }
      await runDemo(process.stdout, {
        keep: opts.keep === true,
        untilStopped: () => stopOnSignal(async () => undefined, 15_000),
      })
    })
}
