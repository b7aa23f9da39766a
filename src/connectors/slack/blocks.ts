/**
 * Pure Block Kit builders for review messages. @NOTE the comment text and the matched words go
 * into rich_text elements, which Slack shows verbatim: no mrkdwn, no accidental @channel.
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
  verdictLabel,
  verdictOutcome,
  whoText,
} from './format.js'
import type { ReviewItem, Verdict } from './types.js'

export type SlackMessage = { text: string; blocks: types.KnownBlock[] }

export const REVIEW_ACTIONS_BLOCK_ID = 'review_actions'
export const verdicts: readonly Verdict[] = ['remove', 'hide', 'keep', 'ban', 'escalate']
export const actionIdFor = (verdict: Verdict): string => `review_${verdict}`
export const reviewActionPattern = /^review_(remove|hide|keep|ban|escalate)$/

// @NOTE Slack rejects section text over 3000 characters and headers over 150
const MAX_TEXT = 2900
const MAX_HEADER = 150

export type Decided = { verdict: Verdict; by: string; explanation: string | null; at: Date }

/** The message for any review item: a comment with buttons, or an alert without them. */
export function reviewMessage(item: ReviewItem, now: Date): SlackMessage {
  if (item.kind !== 'comment') return alertMessage(item, now)
  const urgent = isUrgent(item)
  const what = `${platformName(item.platform)} comment on ${item.accountName}`
  return {
    text: `${urgent ? 'URGENT ' : ''}Review needed: ${what} (${categoryList(item)})`,
    blocks: [
      header(`${urgent ? ':rotating_light: URGENT · ' : ''}Review: ${what}`),
      ...commentBlocks(item, now),
      { type: 'actions', block_id: REVIEW_ACTIONS_BLOCK_ID, elements: buttons(item) },
    ],
  }
}

/** The same message once decided: who, what and why, and no buttons left to press. */
export function decidedMessage(item: ReviewItem, decided: Decided): SlackMessage {
  const outcome = verdictOutcome(decided.verdict, item)
  const who = whoText(decided.by)
  const blocks: types.KnownBlock[] = [
    header(`Reviewed: ${platformName(item.platform)} comment on ${item.accountName}`),
    // @NOTE the state the decision leaves the comment in: the platform call follows through the
    // act queue, so "visible now" (the state when it was posted for review) would be wrong here
    ...commentBlocks(item, decided.at, stateAfter(decided.verdict, item)),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:white_check_mark: *${outcome}* by ${who} · ${slackDate(decided.at.toISOString())}`,
      },
    },
  ]
  if (decided.explanation) {
    blocks.push({
      type: 'rich_text',
      elements: [
        {
          type: 'rich_text_section',
          elements: [{ type: 'text', text: 'Explanation', style: { bold: true } }],
        },
        {
          type: 'rich_text_quote',
          elements: [{ type: 'text', text: truncate(decided.explanation, MAX_TEXT) }],
        },
      ],
    })
  }
  return {
    text: `${outcome} by ${decided.by}: ${platformName(item.platform)} comment on ${item.accountName}`,
    blocks,
  }
}

/** Where the comment ends up once the decision's platform calls are made. */
function stateAfter(verdict: Verdict, item: ReviewItem): string {
  const on = platformName(item.platform)
  switch (verdict) {
    case 'remove':
      return item.platform === 'facebook'
        ? `:wastebasket: deleted on ${on}`
        : `:see_no_evil: hidden on ${on}`
    case 'hide':
    case 'ban':
      return `:see_no_evil: hidden on ${on}`
    case 'keep':
      return `:eyes: visible on ${on}`
    case 'escalate':
      return item.hidden
        ? `:see_no_evil: hidden on ${on} while escalated`
        : `:eyes: visible on ${on} while escalated`
  }
}

const alertTitles: Record<Exclude<ReviewItem['kind'], 'comment'>, string> = {
  pile_on: ':busts_in_silhouette: Pile-on',
  token_alert: ':key: Access token problem',
  platform_alert: ':warning: Platform problem',
}

export function alertMessage(item: ReviewItem, now: Date): SlackMessage {
  const title = item.kind === 'comment' ? 'Alert' : alertTitles[item.kind]
  const urgent = isUrgent(item)
  const summary = item.summary ?? 'No details were given.'
  const blocks: types.KnownBlock[] = [
    header(
      `${urgent ? ':rotating_light: URGENT · ' : ''}${title}: ${item.accountName} (${platformName(item.platform)})`,
    ),
    { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(truncate(summary, MAX_TEXT)) } },
  ]
  if (item.permalink) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: mrkdwnLink(item.permalink, 'Open on the platform') },
    })
  }
  blocks.push(contextLine(item, now))
  const plainTitle = title.replace(/^:[a-z_]+: /, '')
  return { text: `${urgent ? 'URGENT ' : ''}${plainTitle}: ${item.accountName}`, blocks }
}

function header(text: string): types.HeaderBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(text, MAX_HEADER), emoji: true },
  }
}

function categoryList(item: ReviewItem): string {
  return item.categories.length ? item.categories.join(', ') : 'no category'
}

function commentBlocks(item: ReviewItem, now: Date, decidedState?: string): types.KnownBlock[] {
  const state =
    decidedState ??
    (item.hidden
      ? `:see_no_evil: hidden on ${platformName(item.platform)} now`
      : `:eyes: visible on ${platformName(item.platform)} now`)
  const strikes = `${item.author.strikes} ${item.author.strikes === 1 ? 'strike' : 'strikes'} on this account`
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*Comment* · ${state}` } },
    commentText(item.text),
    {
      type: 'section',
      fields: [
        {
          type: 'mrkdwn',
          text: `*Author*\n${mrkdwnLink(item.author.profileUrl, item.author.name ?? item.author.id)}\n${strikes}`,
        },
        {
          type: 'mrkdwn',
          text: `*Posted to*\n${escapeMrkdwn(item.accountName)} on ${platformName(item.platform)}\n${mrkdwnLink(item.permalink, 'Open the comment')}`,
        },
        { type: 'mrkdwn', text: `*Categories*\n${escapeMrkdwn(categoryList(item))}` },
        {
          type: 'mrkdwn',
          text: `*Suggested*\n${item.suggested ? verdictLabel(item.suggested, item) : 'No suggestion'}`,
        },
      ],
    },
  ]
  if (item.reasons.length) blocks.push(reasonsBlock(item))
  blocks.push(contextLine(item, now))
  return blocks
}

function commentText(text: string | null): types.RichTextBlock {
  const element: types.RichTextElement =
    text === null
      ? {
          type: 'text',
          text: 'The text was purged under the retention policy.',
          style: { italic: true },
        }
      : { type: 'text', text: truncate(text, MAX_TEXT) }
  return { type: 'rich_text', elements: [{ type: 'rich_text_quote', elements: [element] }] }
}

function reasonsBlock(item: ReviewItem): types.RichTextBlock {
  return {
    type: 'rich_text',
    elements: [
      {
        type: 'rich_text_section',
        elements: [{ type: 'text', text: 'Why it was flagged', style: { bold: true } }],
      },
      {
        type: 'rich_text_list',
        style: 'bullet',
        elements: item.reasons.slice(0, 20).map((r) => ({
          type: 'rich_text_section' as const,
          elements: [
            { type: 'text' as const, text: r.rule, style: { bold: true } },
            { type: 'text' as const, text: ` (${r.category}): matched ` },
            { type: 'text' as const, text: truncate(r.match, 200), style: { code: true } },
            { type: 'text' as const, text: ` — ${truncate(r.explanation, 500)}` },
          ],
        })),
      },
    ],
  }
}

function contextLine(item: ReviewItem, now: Date): types.ContextBlock {
  const waited = formatWait(now.getTime() - Date.parse(item.receivedAt))
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Received ${slackDate(item.receivedAt)} · waited ${waited} · ref ${escapeMrkdwn(item.subjectKey)}`,
      },
    ],
  }
}

function buttons(item: ReviewItem): types.Button[] {
  return verdicts.map((verdict) => {
    const button: types.Button = {
      type: 'button',
      action_id: actionIdFor(verdict),
      text: { type: 'plain_text', text: verdictLabel(verdict, item) },
      value: item.subjectKey,
    }
    if (verdict === 'remove' || verdict === 'ban') button.style = 'danger'
    else if (verdict === item.suggested) button.style = 'primary'
    return button
  })
}
