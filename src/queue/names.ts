import type { Platform } from '../pipeline/messages.js'

/** Queue names. @NOTE never ':' in names or job ids: BullMQ uses it as its key separator. */
export const QUEUE_NAMES = {
  moderate: 'wg-moderate',
  actFacebook: 'wg-act-facebook',
  actX: 'wg-act-x',
  review: 'wg-review',
  escalate: 'wg-escalate',
} as const

export function actQueueName(platform: Platform): string {
  return platform === 'facebook' ? QUEUE_NAMES.actFacebook : QUEUE_NAMES.actX
}

/** Deterministic job ids: the same fact always maps to the same id, so re-adding is a no-op. */
export function jobId(...parts: string[]): string {
  return parts.join('.').replaceAll(':', '_')
}
