import { config as loadDotenv } from 'dotenv'
import { buildProgram } from './program.js'
import { reportAndExit } from './report-error.js'

// @NOTE a .env file fills in what the real environment lacks; it never overrides it
loadDotenv({ quiet: true })

const program = buildProgram()

try {
  await program.parseAsync(process.argv)
} catch (err) {
  reportAndExit(err)
}
