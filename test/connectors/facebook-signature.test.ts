import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  signFacebookBody,
  verifyFacebookSignature,
} from '../../src/connectors/facebook/signature.js'

const secret = 'app-secret-123'
const raw = '{"object":"page","entry":[{"id":"1","changes":[{"value":{"message":"caf\\u00e9"}}]}]}'
const good = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`

describe('facebook signature', () => {
  it('accepts a body signed with the app secret', () => {
    expect(verifyFacebookSignature(raw, good, secret)).toBe(true)
    expect(
      verifyFacebookSignature(
        Buffer.from(raw),
        good.toUpperCase().replace('SHA256', 'sha256'),
        secret,
      ),
    ).toBe(true)
  })

  it('signs exactly as Meta does', () => {
    expect(signFacebookBody(raw, secret)).toBe(good)
  })

  it('rejects a signature made with another secret', () => {
    const other = `sha256=${createHmac('sha256', 'other').update(raw).digest('hex')}`
    expect(verifyFacebookSignature(raw, other, secret)).toBe(false)
  })

  it('rejects a body that was re-serialised after signing', () => {
    const reserialised = JSON.stringify(JSON.parse(raw))
    expect(reserialised).not.toBe(raw)
    expect(verifyFacebookSignature(reserialised, good, secret)).toBe(false)
  })

  it('rejects a missing, empty or malformed header', () => {
    const hex = good.slice('sha256='.length)
    for (const header of [
      undefined,
      null,
      '',
      hex,
      `sha1=${hex}`,
      `sha256=${hex.slice(2)}`,
      'sha256=zz',
    ]) {
      expect(verifyFacebookSignature(raw, header, secret)).toBe(false)
    }
  })

  it('rejects everything when no app secret is configured', () => {
    const unkeyed = `sha256=${createHmac('sha256', '').update(raw).digest('hex')}`
    expect(verifyFacebookSignature(raw, unkeyed, '')).toBe(false)
  })
})
