/** What the service knows about itself right after it started, for the newcomer's next steps. */
export type StartFacts = {
  url: string
  users: number
  accounts: number
  /** true with DATABASE_URL: the CLI can manage users beside the running service */
  sharedStore: boolean
  configPath: string | null
}

/**
 * The lines printed under "wardguard is running at …": what to do next, in order, for whatever
 * is still missing. A configured deployment gets one short line, not a tutorial.
 */
export function nextSteps(f: StartFacts): string {
  const steps: string[] = []
  if (f.users === 0) {
    const when = f.sharedStore
      ? 'in another terminal'
      : 'stop it (Ctrl-C; the embedded store belongs to one process), then'
    steps.push(
      `No users can sign in yet: ${when} run\n` +
        '      npx wardguard users add comms --role admin --password-stdin\n' +
        `    type the password and press Enter; start again and sign in at ${f.url}/signin`,
    )
  } else {
    steps.push(`Sign in to the audit web app: ${f.url}/signin`)
  }
  if (f.accounts === 0) {
    steps.push(
      `No accounts are configured${f.configPath ? ` in ${f.configPath}` : ''}: copy config/wardguard.example.yaml\n` +
        '    to config/wardguard.yaml and edit it (check it with: npx wardguard config check),\n' +
        `    or connect a Page or an X account at ${f.url}/audit/accounts (needs TOKEN_ENCRYPTION_KEY)`,
    )
  }
  steps.push(
    'See it work without any credentials: npx wardguard demo (local Facebook, X and Slack simulators)',
  )
  steps.push(`Health: ${f.url}/readyz; every command: npx wardguard --help`)
  return `\nNext steps:\n${steps.map((s) => `  - ${s}`).join('\n')}\n\n`
}
