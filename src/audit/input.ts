import type { z } from 'zod'
import { AppError } from '../errors.js'
import {
  type AuditEvent,
  type AuditEventInput,
  AuditEventInputSchema,
  metaSchemaFor,
} from './events.js'

/** An event as it will be stored, before the chain gives it an id and a hash. */
export type UnsealedEvent = Omit<AuditEvent, 'id' | 'prevHash' | 'hash'>

/**
 * Validates and normalises an event: optional fields become null or empty, JSON goes through a
 * round trip (so what is hashed is exactly what jsonb gives back), the time gets ms precision.
 */
export function parseEventInput(input: AuditEventInput, now: Date = new Date()): UnsealedEvent {
  // @NOTE JSON first: undefined members vanish and Dates become strings, as they would in jsonb
  const parsed = AuditEventInputSchema.safeParse({
    ...input,
    meta: toJson(input.meta ?? {}, 'meta'),
    tool: input.tool ? toJson(input.tool, 'tool') : null,
  })
  if (!parsed.success) throw invalid(parsed.error)
  const e = parsed.data
  const meta = e.meta ?? {}
  const metaCheck = metaSchemaFor(e.type)?.safeParse(meta)
  if (metaCheck && !metaCheck.success) throw invalid(metaCheck.error, `meta of ${e.type}`)
  const tool = e.tool ?? null
  assertNoText(meta, 'meta')
  assertNoText(tool?.meta ?? {}, 'tool.meta')
  return {
    type: e.type,
    subjectKey: e.subjectKey,
    platform: e.platform,
    commentId: e.commentId,
    postId: e.postId ?? null,
    authorId: e.authorId ?? null,
    accountId: e.accountId,
    actor: { kind: e.actor.kind, id: e.actor.id },
    tool,
    ruleIds: e.ruleIds ?? [],
    categories: e.categories ?? [],
    reason: e.reason ?? null,
    meta,
    causedBy: e.causedBy ?? null,
    dedupeKey: e.dedupeKey,
    createdAt: (e.at ? new Date(e.at) : now).toISOString(),
  }
}

function toJson(value: unknown, what: string): unknown {
  try {
    return JSON.parse(JSON.stringify(value))
  } catch (err) {
    throw new AppError('message_invalid', `invalid audit event: ${what} is not JSON`, {
      cause: err,
    })
  }
}

// @NOTE a safety net for invariant 1 (no comment text in events): the text belongs in
// comment_snapshot, where retention can purge it.
const TEXT_KEYS = new Set(['text', 'commentText', 'comment_text'])

function assertNoText(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      assertNoText(v, `${path}[${i}]`)
    })
    return
  }
  if (value === null || typeof value !== 'object') return
  for (const [key, v] of Object.entries(value)) {
    if (TEXT_KEYS.has(key)) {
      throw new AppError(
        'message_invalid',
        `audit ${path}.${key}: events must not hold comment text`,
      )
    }
    assertNoText(v, `${path}.${key}`)
  }
}

function invalid(error: z.ZodError, what = 'audit event'): AppError {
  const problems = error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
  return new AppError('message_invalid', `invalid ${what}: ${problems.join('; ')}`)
}
