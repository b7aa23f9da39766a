/**
 * AES-256-GCM sealing of one account token. The additional data binds a sealed token to its
 * place (`accountId/kind`), so a row copied onto another account or kind fails to open instead
 * of lending one councillor's token to another account.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { AppError, ConfigError } from '../errors.js'
import { findKey, type Keyring } from './keyring.js'

export type Sealed = { keyId: string; iv: Buffer; ciphertext: Buffer; tag: Buffer }

const ALGORITHM = 'aes-256-gcm'
// @NOTE 12 random bytes is GCM's own nonce size; a council stores far too few tokens per key
// for random nonces to risk a repeat
const IV_BYTES = 12
const TAG_BYTES = 16

/** Seals under the keyring's current key. */
export function seal(keyring: Keyring, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv(ALGORITHM, keyring.current.bytes, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(Buffer.from(aad, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return { keyId: keyring.current.id, iv, ciphertext, tag: cipher.getAuthTag() }
}

/**
 * Opens a sealed token with whichever key of the keyring sealed it. Throws ConfigError when the
 * keyring lacks that key, and an AppError when the bytes or the place (`aad`) do not match: the
 * messages name the key id and the place, never the token.
 */
export function open(keyring: Keyring, sealed: Sealed, aad: string): string {
  const key = findKey(keyring, sealed.keyId)
  if (!key) throw new ConfigError(unknownKeyProblem(keyring, sealed.keyId))
  try {
    const decipher = createDecipheriv(ALGORITHM, key.bytes, sealed.iv, {
      authTagLength: TAG_BYTES,
    })
    decipher.setAAD(Buffer.from(aad, 'utf8'))
    decipher.setAuthTag(sealed.tag)
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8')
  } catch (err) {
    throw new AppError(
      'message_invalid',
      `the stored token for ${aad} does not open with key ${key.id}: it was altered, or copied from another account or kind; connect the account again`,
      { cause: err },
    )
  }
}

export function unknownKeyProblem(keyring: Keyring, keyId: string): string {
  return `TOKEN_ENCRYPTION_KEY: the stored tokens were sealed with key ${keyId}, which is neither the current key (${keyring.current.id}) nor one of TOKEN_ENCRYPTION_PREVIOUS_KEYS; set the key they were sealed with (the old key goes in TOKEN_ENCRYPTION_PREVIOUS_KEYS)`
}
