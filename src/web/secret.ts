/** The key that signs session cookies: SESSION_SECRET, or one made once and kept in DATA_DIR. */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ConfigError } from '../errors.js'

export const SESSION_SECRET_FILE = 'session-secret'

export function resolveSessionSecret(env: NodeJS.ProcessEnv, dataDir: string): string {
  const fromEnv = env.SESSION_SECRET?.trim()
  if (fromEnv) {
    if (fromEnv.length < 32) {
      throw new ConfigError('SESSION_SECRET: use at least 32 characters (environment variable)')
    }
    return fromEnv
  }
  const file = path.join(dataDir, SESSION_SECRET_FILE)
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(48).toString('base64url')
  // @NOTE 0600: anyone who can read it can forge a session
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' })
  return secret
}
