import { createHmac } from 'node:crypto'

/**
 * What a crc_token X sends looks like: URL-safe or standard base64 characters, and short.
 * @NOTE the CRC answer is the same HMAC, under the same key, as a POST's signature: answering
 * for any string would sign whatever an attacker sent, e.g. a forged tweet_create_events body.
 * JSON needs braces or quotes, which this shape excludes, so an answer never signs a delivery.
 */
const CRC_TOKEN = /^[A-Za-z0-9_+/=-]{8,128}$/

export function isCrcToken(token: string): boolean {
  return CRC_TOKEN.test(token)
}

/**
 * The answer to X's CRC check: `sha256=` + base64 HMAC-SHA256 of the crc_token, keyed with the
 * consumer (API) secret. X re-runs it hourly and stops delivering when it fails. Only for a
 * token that passed isCrcToken.
 */
export function crcResponse(crcToken: string, consumerSecret: string): string {
  if (!isCrcToken(crcToken)) throw new Error('refusing to sign a string that is not a CRC token')
  return `sha256=${createHmac('sha256', consumerSecret).update(crcToken).digest('base64')}`
}
