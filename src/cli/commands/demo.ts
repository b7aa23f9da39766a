import type { Command } from 'commander'

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'replay sample comments through the whole service against local platform simulators',
    )
    .action(async () => {
      // @NOTE a computed specifier: the demo runs the test simulators from a repository checkout,
      // and the production build (src/ only) must not pull them in
      const runner = '../../demo/run-demo.js'
      const { runDemo } = (await import(runner)) as { runDemo: () => Promise<void> }
      await runDemo()
    })
}
