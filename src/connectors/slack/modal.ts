import type { types } from '@slack/bolt'
import { z } from 'zod'
import { banEffectOf, escapeMrkdwn, platformName, truncate } from './format.js'
import type { ReviewItem, Verdict } from './types.js'

export const EXPLAIN_CALLBACK_ID = 'review_explain'
export const EXPLANATION_BLOCK_ID = 'explanation'
export const EXPLANATION_ACTION_ID = 'text'
const MAX_EXPLANATION = 3000

/** Carried through the modal, so the submission knows which message it belongs to. */
export const ExplainMetadataSchema = z.object({
  subjectKey: z.string().min(1),
  verdict: z.enum(['remove', 'hide', 'keep', 'ban', 'escalate']),
  channel: z.string().min(1),
  messageTs: z.string().min(1),
})
export type ExplainMetadata = z.infer<typeof ExplainMetadataSchema>

/**
 * @NOTE the policy asks for a written reason whenever something is taken away from the author
 * or put back up after being hidden; reversible hides and escalations do not need one.
 */
export function needsExplanation(verdict: Verdict, item: Pick<ReviewItem, 'hidden'>): boolean {
  return verdict === 'remove' || verdict === 'ban' || (verdict === 'keep' && item.hidden)
}

function wording(
  verdict: Verdict,
  item: ReviewItem,
): { title: string; submit: string; effect: string } {
  const fb = item.platform === 'facebook'
  if (verdict === 'remove' && fb) {
    return {
      title: 'Remove comment',
      submit: 'Remove',
      effect: 'The comment will be deleted from Facebook.',
    }
  }
  if (verdict === 'remove') {
    return {
      title: 'Remove reply',
      submit: 'Remove',
      effect: 'X cannot delete replies to you, so it will be hidden.',
    }
  }
  if (verdict === 'ban') {
    switch (banEffectOf(item)) {
      case 'ban':
        return {
          title: 'Ban author',
          submit: 'Ban',
          effect: 'The author will be banned from the Page and this comment hidden.',
        }
      case 'block':
        return {
          title: 'Block author',
          submit: 'Block',
          effect: 'The author will be blocked on X and this reply hidden.',
        }
      case 'mute':
        return {
          title: 'Mute author',
          submit: 'Mute',
          effect:
            "The author will be muted on X and this reply hidden. They can still reply, and others still see their replies; the account stops being notified of them. Blocking needs X's Enterprise tier.",
        }
    }
  }
  if (verdict === 'keep') {
    return {
      title: 'Unhide comment',
      submit: 'Unhide',
      effect: 'The comment will be shown again.',
    }
  }
  return { title: 'Confirm decision', submit: 'Confirm', effect: '' }
}

export function explainModal(item: ReviewItem, meta: ExplainMetadata): types.ModalView {
  const w = wording(meta.verdict, item)
  const author = escapeMrkdwn(item.author.name ?? item.author.id)
  const reply = item.replyWithExplanation
    ? ' It will also be posted as a reply to the author.'
    : ' It is not shown to the author.'
  return {
    type: 'modal',
    callback_id: EXPLAIN_CALLBACK_ID,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: w.title },
    submit: { type: 'plain_text', text: w.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${w.effect}\n*${escapeMrkdwn(truncate(item.accountName, 200))}* on ${platformName(item.platform)} · author ${author}`,
        },
      },
      {
        type: 'input',
        block_id: EXPLANATION_BLOCK_ID,
        label: { type: 'plain_text', text: 'Why? Your explanation is required' },
        element: {
          type: 'plain_text_input',
          action_id: EXPLANATION_ACTION_ID,
          multiline: true,
          max_length: MAX_EXPLANATION,
        },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Your explanation is kept in the audit log.${reply}` }],
      },
    ],
  }
}
