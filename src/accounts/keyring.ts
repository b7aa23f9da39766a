/**
 * The keys that seal account tokens at rest: the current key (new tokens, rotation target) and
 * the previous keys still accepted for reading while `wardguard tokens rotate` moves rows off them.
 */
import { createHash } from 'node:crypto'
import type { Env } from '../config/env.js'
import { ConfigError } from '../errors.js'

export type Key = { id: string; bytes: Buffer }
export type Keyring = { current: Key; previous: Key[] }

export const KEY_BYTES = 32
export const KEY_FORMAT_HINT =
  'must be 32 random bytes written as base64 (44 characters) or hex (64 characters); make one with `openssl rand -base64 32`'

const HEX_KEY = /^[0-9a-fA-F]{64}$/
// standard or URL-safe alphabet, with or without the one padding character
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/

/**
 * The 32 key bytes a text encodes, or null when it is not a key. @NOTE hex is tried first: 64
 * hex digits are also valid base64 characters, but as base64 they would be 48 bytes, not 32.
 */
export function decodeKeyText(text: string): Buffer | null {
  const t = text.trim()
  if (HEX_KEY.test(t)) return Buffer.from(t, 'hex')
  if (BASE64_KEY.test(t)) {
    const bytes = Buffer.from(t.replaceAll('-', '+').replaceAll('_', '/'), 'base64')
    return bytes.length === KEY_BYTES ? bytes : null
  }
  return null
}

/** A key's public name, stored beside each sealed token: safe to log, says nothing of the key. */
export function keyIdOf(bytes: Buffer): string {
  return createHash('sha256')
    .update('wardguard-token-key:')
    .update(bytes)
    .digest('hex')
    .slice(0, 16)
}

function keyFrom(bytes: Buffer): Key {
  return { id: keyIdOf(bytes), bytes }
}

/**
 * The keyring the environment describes, or null when no key is set (then no token may be stored).
 * Every format problem is reported at once, naming the variable and never echoing the value.
 */
export function keyringFromEnv(
  env: Pick<Env, 'TOKEN_ENCRYPTION_KEY' | 'TOKEN_ENCRYPTION_PREVIOUS_KEYS'>,
): Keyring | null {
  const problems: string[] = []
  const currentText = env.TOKEN_ENCRYPTION_KEY?.trim() ?? ''
  const previousTexts = (env.TOKEN_ENCRYPTION_PREVIOUS_KEYS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')

  const current = currentText === '' ? null : decodeKeyText(currentText)
  if (currentText !== '' && !current) problems.push(`TOKEN_ENCRYPTION_KEY: ${KEY_FORMAT_HINT}`)
  if (currentText === '' && previousTexts.length > 0) {
    problems.push(
      'TOKEN_ENCRYPTION_KEY: required when TOKEN_ENCRYPTION_PREVIOUS_KEYS is set (the key tokens are sealed with from now on)',
    )
  }
  const previous: Key[] = []
  previousTexts.forEach((text, i) => {
    const bytes = decodeKeyText(text)
    if (!bytes) {
      problems.push(
        `TOKEN_ENCRYPTION_PREVIOUS_KEYS: entry ${i + 1} of ${previousTexts.length} ${KEY_FORMAT_HINT}`,
      )
    } else previous.push(keyFrom(bytes))
  })
  if (problems.length > 0) throw new ConfigError(problems)
  if (!current) return null

  const currentKey = keyFrom(current)
  // @NOTE the current key listed again among the previous ones is harmless: drop the repeat
  const seen = new Set([currentKey.id])
  const unique = previous.filter((k) => !seen.has(k.id) && seen.add(k.id))
  return { current: currentKey, previous: unique }
}

/** The key with this id, current or previous; undefined when the keyring does not hold it. */
export function findKey(keyring: Keyring, id: string): Key | undefined {
  if (keyring.current.id === id) return keyring.current
  return keyring.previous.find((k) => k.id === id)
}
