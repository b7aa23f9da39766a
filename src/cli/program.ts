import { Command } from 'commander'
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
import { addExamples } from './examples.js'

/** The whole CLI: every command registered, with its help examples. */
export function buildProgram(): Command {
  const program = new Command('wardguard')
    .description(
      // one paragraph: commander wraps it to the terminal, and a hard line break made ragged lines
      "Moderates comments on UK councillors' Facebook Pages and X accounts: hides what is clearly " +
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

  // after every command is registered, so that commands added later get theirs too
  addExamples(program)
  return program
}
