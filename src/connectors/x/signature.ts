import { createHmac, timingSafeEqual } from 'node:crypto'

const HEADER_PATTERN = /^sha256=([A-Za-z0-9+/]{43}=)$/

/** `sha256=<base64>` of the raw body keyed with the consumer secret: what X sends. */
export function signXBody(raw: Uint8Array | string, consumerSecret: string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(raw).digest('base64')}`
}

/** Checks `x-twitter-webhooks-signature` against the exact bytes received, in constant time. */
export function verifyXSignature(
  raw: Uint8Array | string,
  header: string | null | undefined,
  consumerSecret: string,
): boolean {
  const match = header ? HEADER_PATTERN.exec(header.trim()) : null
  if (!match?.[1] || !consumerSecret) return false
  const given = Buffer.from(match[1], 'base64')
  const expected = createHmac('sha256', consumerSecret).update(raw).digest()
  return given.length === expected.length && timingSafeEqual(given, expected)
}
