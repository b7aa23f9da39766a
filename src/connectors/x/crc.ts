import { createHmac } from 'node:crypto'

/**
 * The answer to X's CRC check: `sha256=` + base64 HMAC-SHA256 of the crc_token, keyed with the
 * consumer (API) secret. X re-runs it hourly and stops delivering when it fails.
 */
export function crcResponse(crcToken: string, consumerSecret: string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(crcToken).digest('base64')}`
}
