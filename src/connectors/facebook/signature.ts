import { createHmac, timingSafeEqual } from 'node:crypto'

const HEADER_PATTERN = /^sha256=([0-9a-fA-F]{64})$/

/** `sha256=<hex>` of the raw body, keyed with the app secret: what Meta sends. */
export function signFacebookBody(raw: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`
}

/**
 * Checks `X-Hub-Signature-256` against the exact bytes received. @NOTE Meta escapes non-ASCII
 * as \uXXXX, so re-serialised JSON would not match: always hash the raw body.
 */
export function verifyFacebookSignature(
  raw: Uint8Array | string,
  header: string | null | undefined,
  appSecret: string,
): boolean {
  const match = header ? HEADER_PATTERN.exec(header.trim()) : null
  if (!match?.[1] || !appSecret) return false
  const given = Buffer.from(match[1].toLowerCase(), 'hex')
  const expected = createHmac('sha256', appSecret).update(raw).digest()
  return given.length === expected.length && timingSafeEqual(given, expected)
}
