import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { keyIdOf, keyringFromEnv } from '../../src/accounts/keyring.js'
import { open, seal } from '../../src/accounts/token-crypto.js'
import { parseEnv } from '../../src/config/env.js'
import { AppError, ConfigError } from '../../src/errors.js'

const key = () => randomBytes(32)

function configProblems(fn: () => unknown): string[] {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as ConfigError).problems
  }
  throw new Error('expected a ConfigError')
}

describe('keyringFromEnv', () => {
  it('reads a key written as base64, URL-safe base64 or hex, all naming the same key', () => {
    const bytes = key()
    const ids = [
      bytes.toString('base64'),
      bytes.toString('base64url'),
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
    ].map((text) => keyringFromEnv({ TOKEN_ENCRYPTION_KEY: text })?.current.id)
    expect(new Set(ids)).toEqual(new Set([keyIdOf(bytes)]))
    expect(ids[0]).toMatch(/^[0-9a-f]{16}$/)
  })

  it('gives no keyring when no key is set', () => {
    expect(keyringFromEnv({})).toBeNull()
    expect(keyringFromEnv({ TOKEN_ENCRYPTION_KEY: '' })).toBeNull()
  })

  it('keeps previous keys in order and drops a repeat of the current one', () => {
    const [a, b, c] = [key(), key(), key()]
    const ring = keyringFromEnv({
      TOKEN_ENCRYPTION_KEY: a.toString('base64'),
      TOKEN_ENCRYPTION_PREVIOUS_KEYS: ` ${b.toString('hex')}, ${a.toString('base64')},${c.toString('base64')} `,
    })
    expect(ring?.previous.map((k) => k.id)).toEqual([keyIdOf(b), keyIdOf(c)])
  })

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(48).toString('base64')],
    ['63 hex digits', randomBytes(32).toString('hex').slice(1)],
    ['not base64 or hex', `${'!'.repeat(43)}=`],
    ['a passphrase', 'correct horse battery staple'],
  ])('refuses a key that is %s, naming the variable and not echoing it', (_, text) => {
    const problems = configProblems(() => keyringFromEnv({ TOKEN_ENCRYPTION_KEY: text }))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^TOKEN_ENCRYPTION_KEY: must be 32 random bytes/)
    expect(problems.join()).not.toContain(text)
  })

  it('names the bad entry of TOKEN_ENCRYPTION_PREVIOUS_KEYS', () => {
    const problems = configProblems(() =>
      keyringFromEnv({
        TOKEN_ENCRYPTION_KEY: key().toString('base64'),
        TOKEN_ENCRYPTION_PREVIOUS_KEYS: `${key().toString('base64')},not-a-key`,
      }),
    )
    expect(problems).toEqual([
      expect.stringMatching(/^TOKEN_ENCRYPTION_PREVIOUS_KEYS: entry 2 of 2/),
    ])
  })

  it('refuses previous keys without a current one', () => {
    const problems = configProblems(() =>
      keyringFromEnv({ TOKEN_ENCRYPTION_PREVIOUS_KEYS: key().toString('base64') }),
    )
    expect(problems[0]).toMatch(
      /^TOKEN_ENCRYPTION_KEY: required when TOKEN_ENCRYPTION_PREVIOUS_KEYS/,
    )
  })

  it('lets `config check` report a malformed key through the environment schema, without the value', () => {
    const parsed = parseEnv({
      TOKEN_ENCRYPTION_KEY: 'hunter2',
      TOKEN_ENCRYPTION_PREVIOUS_KEYS: 'x,y',
    })
    expect(parsed.ok).toBe(false)
    const problems = parsed.ok ? [] : parsed.problems
    expect(problems).toEqual([
      expect.stringMatching(
        /^TOKEN_ENCRYPTION_KEY: must be 32 random bytes.*\(environment variable\)$/,
      ),
      expect.stringMatching(/^TOKEN_ENCRYPTION_PREVIOUS_KEYS: each comma-separated entry/),
    ])
    expect(problems.join()).not.toContain('hunter2')
  })
})

describe('seal and open', () => {
  const ring = keyringFromEnv({ TOKEN_ENCRYPTION_KEY: key().toString('base64') })!

  it('round-trips a token, with a fresh iv each time', () => {
    const a = seal(ring, 'EAAB-page-token', 'cllr-patel/page')
    const b = seal(ring, 'EAAB-page-token', 'cllr-patel/page')
    expect(a.iv.equals(b.iv)).toBe(false)
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false)
    expect(open(ring, a, 'cllr-patel/page')).toBe('EAAB-page-token')
  })

  it('refuses to open a token sealed for another place, or altered', () => {
    const sealed = seal(ring, 'EAAB-page-token', 'cllr-patel/page')
    expect(() => open(ring, sealed, 'cllr-jones/page')).toThrow(AppError)
    expect(() => open(ring, sealed, 'cllr-jones/page')).toThrow(/copied from another account/)
    const flipped = Buffer.from(sealed.ciphertext)
    flipped[0] = (flipped[0] ?? 0) ^ 1
    expect(() => open(ring, { ...sealed, ciphertext: flipped }, 'cllr-patel/page')).toThrow(
      /altered/,
    )
  })
})
