import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { crcResponse } from '../../src/connectors/x/crc.js'
import { signXBody, verifyXSignature } from '../../src/connectors/x/signature.js'

const secret = 'consumer-secret-xyz'
const raw = '{"for_user_id":"2001","tweet_create_events":[]}'
const b64 = (key: string, msg: string) => createHmac('sha256', key).update(msg).digest('base64')

describe('x crc', () => {
  it('answers sha256= plus the base64 HMAC of the crc_token', () => {
    expect(crcResponse('challenge-token', secret)).toBe(`sha256=${b64(secret, 'challenge-token')}`)
  })

  it('gives a different answer for another consumer secret', () => {
    expect(crcResponse('challenge-token', 'other')).not.toBe(crcResponse('challenge-token', secret))
  })
})

describe('x signature', () => {
  it('accepts a body signed with the consumer secret', () => {
    expect(verifyXSignature(raw, `sha256=${b64(secret, raw)}`, secret)).toBe(true)
    expect(signXBody(raw, secret)).toBe(`sha256=${b64(secret, raw)}`)
  })

  it('rejects another secret, a changed body, or a missing or malformed header', () => {
    const good = `sha256=${b64(secret, raw)}`
    expect(verifyXSignature(raw, `sha256=${b64('other', raw)}`, secret)).toBe(false)
    expect(verifyXSignature(`${raw} `, good, secret)).toBe(false)
    for (const header of [
      undefined,
      null,
      '',
      good.slice(7),
      'sha256=abc',
      `sha1=${good.slice(7)}`,
    ]) {
      expect(verifyXSignature(raw, header, secret)).toBe(false)
    }
  })
})
