import { z } from 'zod'
import { AppError } from '../errors.js'

/** A keyset position in the (created_at desc, id desc) order of events. */
export type EventPosition = { createdAt: string; id: string }

const PositionSchema = z.tuple([z.iso.datetime({ offset: true }), z.string().regex(/^\d+$/)])

/** Opaque to callers: base64url of a small JSON tuple. */
export function encodeCursor(p: EventPosition): string {
  return Buffer.from(JSON.stringify([p.createdAt, p.id])).toString('base64url')
}

export function decodeCursor(cursor: string): EventPosition {
  try {
    const [createdAt, id] = PositionSchema.parse(
      JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')),
    )
    return { createdAt, id }
  } catch (err) {
    throw new AppError('message_invalid', 'invalid audit cursor', { cause: err })
  }
}
