/**
 * Alerts in the review channel: a pile-on on one post (with its link, the count, and one action:
 * hide every flagged comment on it), a token problem, a platform problem.
 */
import type { types } from '@slack/bolt'
import {
  escapeMrkdwn,
  formatWait,
  isUrgent,
  mrkdwnLink,
  platformName,
  slackDate,
  truncate,
  whoText,
} from './format.js'
import type { ReviewItem } from './types.js'

export const HIDE_ALL_ACTION_ID = 'review_hide_all'
const MAX_TEXT = 2900

const alertTitles: Record<Exclude<ReviewItem['kind'], 'comment'>, string> = {
  pile_on: ':busts_in_silhouette: Pile-on',
  token_alert: ':key: Access token problem',
  platform_alert: ':warning: Platform problem',
}

export function alertMessage(
  item: ReviewItem,
  now: Date,
): { text: string; blocks: types.KnownBlock[] } {
  const title = item.kind === 'comment' ? 'Alert' : alertTitles[item.kind]
  const urgent = isUrgent(item)
  const summary = item.summary ?? 'No details were given.'
  const blocks: types.KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${urgent ? ':rotating_light: *URGENT* · ' : ''}*${title}:* ${escapeMrkdwn(item.accountName)} (${platformName(item.platform)})\n${escapeMrkdwn(truncate(summary, MAX_TEXT))}`,
      },
    },
  ]
  if (item.permalink) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: mrkdwnLink(
          item.permalink,
          item.kind === 'pile_on' ? 'Open the post' : 'Open on the platform',
        ),
      },
    })
  }
  if (item.kind === 'pile_on') blocks.push(...pileOnBlocks(item))
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Raised ${slackDate(item.receivedAt)} · ${formatWait(now.getTime() - Date.parse(item.receivedAt))} ago · ref ${escapeMrkdwn(item.subjectKey)}`,
      },
    ],
  })
  const plainTitle = title.replace(/^:[a-z_]+: /, '')
  return { text: `${urgent ? 'URGENT ' : ''}${plainTitle}: ${item.accountName}`, blocks }
}

function pileOnBlocks(item: ReviewItem): types.KnownBlock[] {
  const r = item.resolution
  if (r) {
    const n = r.hiddenCount ?? 0
    return [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:white_check_mark: *Hid ${n} flagged ${n === 1 ? 'comment' : 'comments'} on this post* by ${whoText(r.by)} · ${slackDate(r.at)}`,
        },
      },
      ...(r.explanation
        ? [
            {
              type: 'rich_text' as const,
              elements: [
                {
                  type: 'rich_text_quote' as const,
                  elements: [{ type: 'text' as const, text: truncate(r.explanation, MAX_TEXT) }],
                },
              ],
            },
          ]
        : []),
    ]
  }
  const visible = item.visibleFlagged ?? 0
  if (visible === 0) {
    return [
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'Every flagged comment on this post is hidden or deleted.' },
        ],
      },
    ]
  }
  return [
    {
      type: 'actions',
      block_id: 'pile_on_actions',
      elements: [
        {
          type: 'button',
          action_id: HIDE_ALL_ACTION_ID,
          text: { type: 'plain_text', text: 'Hide all flagged on this post' },
          value: item.subjectKey,
          style: 'danger',
        },
      ],
    },
  ]
}
