/**
 * Pure Block Kit builders for review messages. One function renders an item in whatever state
 * the audit store says it is in (open, escalated, decided), so the first post and every later
 * chat.update tell the same truth. @NOTE the comment text and the matched words go into
 * rich_text elements, which Slack shows verbatim: no mrkdwn, no accidental @channel.
 */
import type { types } from '@slack/bolt'
import { alertMessage } from './alert-blocks.js'
import {
  escapeMrkdwn,
  formatWait,
  isUrgent,
  mrkdwnLink,
  platformName,
  slackDate,
  stateOf,
  stateText,
  truncate,
  verdictLabel,
  verdictOutcome,
  whoText,
} from './format.js'
import type { ReviewItem, Verdict } from './types.js'

export { alertMessage, HIDE_ALL_ACTION_ID } from './alert-blocks.js'

export type SlackMessage = { text: string; blocks: types.KnownBlock[] }

export const REVIEW_ACTIONS_BLOCK_ID = 'review_actions'
export const verdicts: readonly Verdict[] = ['remove', 'hide', 'keep', 'ban', 'escalate']
export const actionIdFor = (verdict: Verdict): string => `review_${verdict}`
export const reviewActionPattern = /^review_(remove|hide|keep|ban|escalate)$/

// @NOTE Slack rejects section text over 3000 characters
export const MAX_TEXT = 2900

export type Decided = { verdict: Verdict; by: string; explanation: string | null; at: Date }

/** The message for any review item: a comment (open, escalated or decided), or an alert. */
export function reviewMessage(item: ReviewItem, now: Date): SlackMessage {
  if (item.kind !== 'comment') return alertMessage(item, now)
  if (item.resolution) return resolvedMessage(item, now)
  const urgent = isUrgent(item)
  const what = `${platformName(item.platform)} comment on ${item.accountName}`
  const blocks: types.KnownBlock[] = [
    topLine(`${urgent ? ':rotating_light: *URGENT* · ' : ''}*Review:* ${escapeMrkdwn(what)}`, item),
    ...commentBlocks(item),
  ]
  if (item.escalation) blocks.push(escalationLine(item))
  const buttons = buttonsFor(item)
  if (buttons.length) {
    blocks.push({ type: 'actions', block_id: REVIEW_ACTIONS_BLOCK_ID, elements: buttons })
  }
  blocks.push(footer(item, now))
  return {
    text: `${urgent ? 'URGENT ' : ''}Review needed: ${what} (${categoryList(item)})`,
    blocks,
  }
}

/** The message once decided: who, what and why, and no buttons left to press. */
export function decidedMessage(item: ReviewItem, decided: Decided): SlackMessage {
  if (decided.verdict === 'escalate') {
    const escalation = item.escalation ?? {
      by: decided.by,
      byName: null,
      automatic: false,
      to: null,
      at: decided.at.toISOString(),
      mailAcceptedAt: null,
      mailFailed: false,
    }
    return reviewMessage({ ...item, escalation }, decided.at)
  }
  return reviewMessage(
    {
      ...item,
      resolution: {
        verdict: decided.verdict,
        by: decided.by,
        byName: null,
        explanation: decided.explanation,
        at: decided.at.toISOString(),
      },
    },
    decided.at,
  )
}

function resolvedMessage(item: ReviewItem, now: Date): SlackMessage {
  const resolution = item.resolution as NonNullable<ReviewItem['resolution']>
  const what = `${platformName(item.platform)} comment on ${item.accountName}`
  const outcome = verdictOutcome(resolution.verdict, decidedFrom(item))
  const who = whoText(resolution.by)
  const pending = actionPending(item)
  const blocks: types.KnownBlock[] = [
    topLine(`*Reviewed:* ${escapeMrkdwn(what)}`, item),
    ...commentBlocks(item),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:white_check_mark: *${outcome}* by ${who} · ${slackDate(resolution.at)}${pending ? `\n:hourglass_flowing_sand: ${pending}` : ''}`,
      },
    },
  ]
  if (resolution.explanation) {
    blocks.push({
      type: 'rich_text',
      elements: [
        {
          type: 'rich_text_section',
          elements: [{ type: 'text', text: 'Explanation', style: { bold: true } }],
        },
        {
          type: 'rich_text_quote',
          elements: [{ type: 'text', text: truncate(resolution.explanation, MAX_TEXT) }],
        },
      ],
    })
  }
  if (item.escalation) blocks.push(escalationLine(item))
  blocks.push(footer(item, now))
  return {
    text: `${outcome} by ${resolution.byName ?? resolution.by}: ${what}`,
    blocks,
  }
}

/**
 * The state the decision was taken in: the outcome ("Unhidden", "Kept hidden") describes what
 * the moderator did to the comment as it was then, not the state the act stage has since made.
 */
function decidedFrom(item: ReviewItem): ReviewItem {
  const r = item.resolution
  if (!r) return item
  const state = stateOf(item)
  if (r.verdict === 'keep' && r.hiddenBefore !== undefined) {
    return { ...item, state: r.hiddenBefore ? 'hidden' : state }
  }
  if (r.verdict === 'hide' && r.hiddenBefore === false) {
    return { ...item, state: 'visible' }
  }
  return item
}

/** What the decision asked of the platform that has not yet happened, in words. */
function actionPending(item: ReviewItem): string | null {
  const r = item.resolution
  if (!r) return null
  const state = stateOf(item)
  const on = platformName(item.platform)
  if (r.verdict === 'remove' && item.platform === 'facebook' && state !== 'deleted')
    return `Deleting on ${on}: this message updates when it is done.`
  if (
    (r.verdict === 'hide' || r.verdict === 'remove' || r.verdict === 'ban') &&
    state === 'visible'
  )
    return `Hiding on ${on}: this message updates when it is done.`
  if (r.verdict === 'keep' && (state === 'hidden' || state === 'hiding'))
    return `Unhiding on ${on}: this message updates when it is done.`
  return null
}

function topLine(title: string, item: ReviewItem): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: `${title}\n${stateText(item)} now` } }
}

function categoryList(item: ReviewItem): string {
  return item.categories.length ? item.categories.join(', ') : 'no category'
}

/** The text, then one small line about the author and where it was posted, then the reasons. */
function commentBlocks(item: ReviewItem): types.KnownBlock[] {
  const strikes = `${item.author.strikes} ${item.author.strikes === 1 ? 'strike' : 'strikes'}`
  const suggested = item.suggested
    ? ` · suggested: ${verdictLabel(item.suggested, item).toLowerCase()}`
    : ''
  const blocks: types.KnownBlock[] = [
    commentText(item.text),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${mrkdwnLink(item.author.profileUrl, item.author.name ?? item.author.id)} (${strikes}) · ${mrkdwnLink(item.permalink, 'open the comment')} · ${escapeMrkdwn(categoryList(item))}${suggested}`,
        },
      ],
    },
  ]
  if (item.reasons.length) blocks.push(reasonsBlock(item))
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

/**
 * Plain words first ("Says the writer will hurt someone: 'kick your head in'"); the rule ids
 * are for whoever tunes the policy and go small, in the footer. Once the text is purged the
 * matched words go too: they are part of it.
 */
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
        elements: uniqueReasons(item).map((r) => ({
          type: 'rich_text_section' as const,
          elements: [
            { type: 'text' as const, text: truncate(r.explanation, 300) },
            ...(item.text !== null && r.match
              ? [{ type: 'text' as const, text: `: '${truncate(r.match, 120)}'` }]
              : []),
          ],
        })),
      },
    ],
  }
}

/** One line per explanation: the same rule matching three words is one reason, not three. */
function uniqueReasons(item: ReviewItem): ReviewItem['reasons'] {
  const seen = new Set<string>()
  return item.reasons
    .filter((r) => {
      const key = `${r.explanation}\u0000${r.match.toLowerCase()}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .slice(0, 8)
}

function escalationLine(item: ReviewItem): types.ContextBlock {
  const e = item.escalation as NonNullable<ReviewItem['escalation']>
  const who = e.automatic ? 'automatically (policy)' : `by ${whoText(e.by)}`
  const to = e.to ? ` to ${escapeMrkdwn(e.to)}` : ''
  const mail = e.mailAcceptedAt
    ? `mail accepted ${slackDate(e.mailAcceptedAt)}`
    : e.mailFailed
      ? ':warning: the mail could not be sent: tell the safety contact yourself'
      : e.to
        ? 'mail on its way'
        : ':warning: no safety contact is configured'
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `:rotating_light: Escalated${to} ${who} · ${slackDate(e.at)} · ${mail}`,
      },
    ],
  }
}

function footer(item: ReviewItem, now: Date): types.ContextBlock {
  const waited = item.resolution
    ? ''
    : ` · waited ${formatWait(now.getTime() - Date.parse(item.receivedAt))}`
  const rules = [...new Set(item.reasons.map((r) => r.rule))]
  const ruleText = rules.length ? ` · rules ${escapeMrkdwn(rules.slice(0, 6).join(', '))}` : ''
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Received ${slackDate(item.receivedAt)}${waited}${ruleText} · ref ${escapeMrkdwn(item.subjectKey)}`,
      },
    ],
  }
}

/**
 * The buttons the comment's state allows, at most five: on X, Remove is a hide, so it is not
 * offered beside Hide; a deleted comment can only be closed, its author dealt with, or escalated;
 * an escalated one keeps every decision but Escalate.
 */
export function verdictsFor(item: ReviewItem): Verdict[] {
  const state = stateOf(item)
  let offered: Verdict[]
  if (state === 'deleted') offered = ['keep', 'ban', 'escalate']
  else if (item.platform === 'x') offered = ['hide', 'keep', 'ban', 'escalate']
  else offered = ['hide', 'remove', 'keep', 'ban', 'escalate']
  return item.escalation ? offered.filter((v) => v !== 'escalate') : offered
}

function buttonsFor(item: ReviewItem): types.Button[] {
  // @NOTE on X, Remove is a hide: the suggestion shows on the Hide button
  const suggested = item.platform === 'x' && item.suggested === 'remove' ? 'hide' : item.suggested
  return verdictsFor(item).map((verdict) => {
    const button: types.Button = {
      type: 'button',
      action_id: actionIdFor(verdict),
      text: { type: 'plain_text', text: verdictLabel(verdict, item) },
      value: item.subjectKey,
    }
    if (verdict === 'remove' || verdict === 'ban') button.style = 'danger'
    else if (verdict === suggested) button.style = 'primary'
    return button
  })
}
