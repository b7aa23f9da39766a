import { Command } from 'commander'
import { config as loadDotenv } from 'dotenv'
import { registerAccountsCommand } from './commands/accounts.js'
import { registerAuditCommand } from './commands/audit.js'
import { registerClassifyCommand } from './commands/classify.js'
import { registerConfigCommand } from './commands/config.js'
import { registerConnectCommand } from './commands/connect.js'
import { registerDemoCommand } from './commands/demo.js'
import { registerEvidenceCommand } from './commands/evidence.js'
import { registerPolicyCommand } from './commands/policy.js'
import { registerSlackCommand } from './commands/slack.js'
import { registerStartCommand } from './commands/start.js'
import { registerTokensCommand } from './commands/tokens.js'
import { registerTrainCommand } from './commands/train.js'
import { registerUsersCommand } from './commands/users.js'
import { reportAndExit } from './report-error.js'

// @NOTE a .env file fills in what the real environment lacks; it never overrides it
loadDotenv({ quiet: true })

const program = new Command('wardguard')
  .description(
    "Moderates comments on UK councillors' Facebook Pages and X accounts: hides what is clearly\n" +
      'unlawful, sends what needs judgement to Slack review, keeps criticism, audits every decision.',
  )
  .version('0.1.0')
  .showHelpAfterError()

registerStartCommand(program)
registerDemoCommand(program)
registerClassifyCommand(program)
registerPolicyCommand(program)
registerConfigCommand(program)
registerUsersCommand(program)
registerAuditCommand(program)
registerEvidenceCommand(program)
registerSlackCommand(program)
registerTokensCommand(program)
registerConnectCommand(program)
registerAccountsCommand(program)
// issue 17: a council model from its moderators' decisions
registerTrainCommand(program)

try {
  await program.parseAsync(process.argv)
} catch (err) {
  reportAndExit(err)
}
