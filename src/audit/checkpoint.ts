/**
 * An outside anchor for the hash chain. The chain proves that no event was changed, but someone
 * with database rights could delete the newest events and move audit_chain_head back: what is
 * left still verifies. A checkpoint is the head at one moment, signed with a key the database
 * never sees (AUDIT_CHECKPOINT_KEY) and kept where the database cannot rewrite it (a file on
 * other storage, a mail to the comms team). Verifying against it shows the trail still reaches
 * that event, with that very hash.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { canonicalJson } from './canonical.js'
import { verifyChain } from './chain.js'
import type { Db } from './db.js'

export const CheckpointSchema = z.object({
  v: z.literal(1),
  /** the chain head when the checkpoint was made */
  lastEventId: z.string().regex(/^\d+$/),
  lastHash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.iso.datetime({ offset: true }),
  /** HMAC-SHA256 (hex) of the canonical JSON of the fields above */
  signature: z.string().regex(/^[0-9a-f]{64}$/),
})
export type Checkpoint = z.infer<typeof CheckpointSchema>

function sign(body: Omit<Checkpoint, 'signature'>, key: string): string {
  return createHmac('sha256', key).update(canonicalJson(body)).digest('hex')
}

/** Signs the current head, once the whole chain up to it verifies. */
export async function makeCheckpoint(db: Db, key: string, now = new Date()): Promise<Checkpoint> {
  const chain = await verifyChain(db)
  if (!chain.ok) {
    throw new Error(
      `the audit chain is broken at event ${chain.firstBroken?.id}: no checkpoint made`,
    )
  }
  const body = {
    v: 1 as const,
    lastEventId: chain.head.lastEventId,
    lastHash: chain.head.lastHash,
    at: now.toISOString(),
  }
  return { ...body, signature: sign(body, key) }
}

export type CheckpointCheck = { ok: true } | { ok: false; problem: string }

/** Whether the trail still holds the checkpoint's event, with its hash, and verifies up to now. */
export async function verifyCheckpoint(
  db: Db,
  input: unknown,
  key: string,
): Promise<CheckpointCheck> {
  const parsed = CheckpointSchema.safeParse(input)
  if (!parsed.success) return { ok: false, problem: 'the checkpoint file is not a checkpoint' }
  const { signature, ...body } = parsed.data
  const expected = Buffer.from(sign(body, key), 'hex')
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return { ok: false, problem: 'the checkpoint signature does not match AUDIT_CHECKPOINT_KEY' }
  }
  const [row] = await db.query<{ hash: string }>(
    'select hash from moderation_event where id = $1::bigint',
    [body.lastEventId],
  )
  if (!row) {
    return {
      ok: false,
      problem: `event ${body.lastEventId}, the chain head at ${body.at}, is missing: the trail was cut back`,
    }
  }
  if (row.hash !== body.lastHash) {
    return {
      ok: false,
      problem: `event ${body.lastEventId} no longer has the hash it had at ${body.at}: the trail was rewritten`,
    }
  }
  const chain = await verifyChain(db)
  if (!chain.ok)
    return { ok: false, problem: `the chain is broken at event ${chain.firstBroken?.id}` }
  if (BigInt(chain.head.lastEventId) < BigInt(body.lastEventId)) {
    return { ok: false, problem: `the chain head was moved back before event ${body.lastEventId}` }
  }
  return { ok: true }
}
