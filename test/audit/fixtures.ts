import type { AuditEventInput } from '../../src/audit/events.js'

let n = 0

export type Subject = {
  subjectKey: string
  platform: 'facebook' | 'x'
  commentId: string
  postId: string
  authorId: string
  accountId: string
}

/** A unique subject per call, so tests sharing one database never see each other's rows. */
export function subject(platform: 'facebook' | 'x' = 'facebook'): Subject {
  n++
  const commentId = `${Date.now().toString(36)}${n}`
  return {
    subjectKey: `${platform}.${commentId}`,
    platform,
    commentId,
    postId: 'post-1',
    authorId: 'author-1',
    accountId: 'page-1',
  }
}

export const POLICY = { kind: 'policy', id: 'policy@v1' } as const

/** The four events a comment that gets hidden usually produces, as the pipeline would write them. */
export function receivedInput(s: Subject, contentHash = 'hash-1'): AuditEventInput {
  return {
    ...s,
    type: 'comment.received',
    actor: { kind: 'platform', id: s.platform },
    meta: { contentHash, deliveryKey: 'd1' },
    dedupeKey: `${s.subjectKey}/${contentHash}/comment.received`,
  }
}

export function decisionInput(
  s: Subject,
  causedBy: string,
  decision: 'allow' | 'act' | 'review' = 'act',
  categories: string[] = ['abuse'],
): AuditEventInput {
  return {
    ...s,
    type: 'decision.made',
    actor: POLICY,
    tool: { name: 'policy', version: 'v1', meta: { classifiers: { keyword: '1' } } },
    ruleIds: ['abuse.slur'],
    categories,
    meta: { decision, action: decision === 'act' ? 'hide' : null },
    causedBy,
    dedupeKey: `${s.subjectKey}/hash-1/decision.made`,
  }
}

export function actionInput(
  s: Subject,
  type: 'action.requested' | 'action.applied' | 'action.failed' | 'action.parked',
  causedBy: string,
  extra: Partial<AuditEventInput> = {},
): AuditEventInput {
  return {
    ...s,
    type,
    actor: POLICY,
    meta: { action: 'hide' },
    causedBy,
    dedupeKey: `${causedBy}/${type}`,
    ...extra,
  }
}
