/**
 * Prints the review messages as Slack lays them out, from the real Block Kit the service sends
 * (src/connectors/slack/blocks.ts): `npx tsx scripts/slack-preview.ts`. Used for
 * docs/slack-messages.md and the README's Slack section.
 */
import type { types } from '@slack/bolt'
import { reviewMessage } from '../src/connectors/slack/blocks.js'
import type { ReviewItem } from '../src/connectors/slack/types.js'

const now = new Date('2026-11-20T10:12:00.000Z')
const base: ReviewItem = {
  subjectKey: 'facebook.111_222',
  platform: 'facebook',
  accountId: 'cllr-patel',
  accountName: 'Cllr Priya Patel (Riverside ward)',
  channel: 'C0RIVERSIDE',
  commentId: '111_222',
  permalink: 'https://www.facebook.com/111_222',
  text: "Wait till I see you at the surgery, I'll kick your head in",
  hidden: true,
  state: 'hidden',
  banEffect: 'ban',
  author: {
    id: '7001',
    name: 'Angry Andy',
    profileUrl: 'https://www.facebook.com/7001',
    strikes: 2,
  },
  categories: ['threat'],
  reasons: [
    {
      rule: 'threat.first_person',
      category: 'threat',
      match: 'kick your head in',
      explanation: 'Says the writer will hurt someone',
    },
  ],
  suggested: 'remove',
  urgent: true,
  receivedAt: '2026-11-20T10:03:00.000Z',
  kind: 'comment',
  escalation: {
    by: 'Wardguard policy (version 6ae4a6a2)',
    byName: null,
    automatic: true,
    to: 'community-safety@example.gov.uk',
    at: '2026-11-20T10:03:01.000Z',
    mailAcceptedAt: '2026-11-20T10:03:02.000Z',
    mailFailed: false,
  },
}

const samples: [string, ReviewItem][] = [
  ['A threat the policy hid and escalated', base],
  [
    'A comment left up for review',
    {
      ...base,
      subjectKey: 'facebook.111_333',
      text: 'Cllr Okafor is on the take from the bus company.',
      hidden: false,
      state: 'visible',
      urgent: false,
      categories: ['defamation'],
      suggested: 'hide',
      escalation: null,
      author: { ...base.author, name: 'Rita Rumour', strikes: 0 },
      reasons: [
        {
          rule: 'defamation.corruption',
          category: 'defamation',
          match: 'on the take',
          explanation: 'Accuses a named person of corruption as fact',
        },
      ],
    },
  ],
  [
    'An X reply on the basic tier (Mute, not Block)',
    {
      ...base,
      platform: 'x',
      subjectKey: 'x.1860000000000000001',
      accountName: 'Cllr Ann Jones',
      text: '@CllrAnnJones you are a liar and a fraud',
      hidden: false,
      state: 'visible',
      banEffect: 'mute',
      urgent: false,
      categories: ['harassment'],
      suggested: 'ban',
      escalation: null,
      reasons: [
        {
          rule: 'harassment.insult',
          category: 'harassment',
          match: 'liar',
          explanation: 'An insult aimed at a person',
        },
      ],
    },
  ],
  [
    'Decided, then purged by retention',
    {
      ...base,
      text: null,
      state: 'deleted',
      author: { ...base.author, name: null },
      resolution: {
        verdict: 'remove',
        by: 'U0PRIYA',
        byName: 'Priya',
        explanation: 'Threat of violence; passed to the police by the safety officer.',
        at: '2026-11-20T10:15:00.000Z',
        hiddenBefore: true,
      },
    },
  ],
  [
    'A pile-on alert',
    {
      ...base,
      kind: 'pile_on',
      subjectKey: 'facebook.post.111_9001',
      permalink: 'https://www.facebook.com/111_9001',
      summary: '14 flagged comments on one post within 30 minutes.',
      flaggedCount: 14,
      visibleFlagged: 9,
      escalation: null,
    },
  ],
]

/** Slack's own formatting, approximately: links and dates as their labels, mentions as @name. */
function mrkdwn(s: string): string {
  return s
    .replace(/<!date\^\d+\^[^|]*\|([^>]+)>/g, (_, iso: string) => iso.slice(11, 16))
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '[$2]')
    .replace(/:rotating_light:/g, '🚨')
    .replace(/:see_no_evil:/g, '🙈')
    .replace(/:eyes:/g, '👀')
    .replace(/:wastebasket:/g, '🗑')
    .replace(/:hourglass_flowing_sand:/g, '⏳')
    .replace(/:white_check_mark:/g, '✅')
    .replace(/:busts_in_silhouette:/g, '👥')
    .replace(/:warning:/g, '⚠️')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

function richText(b: types.RichTextBlock): string[] {
  const out: string[] = []
  for (const el of b.elements) {
    const texts = (els: unknown[]) =>
      els.map((e) => String((e as { text?: string }).text ?? '')).join('')
    if (el.type === 'rich_text_quote') out.push(`│ ${texts(el.elements)}`)
    else if (el.type === 'rich_text_section') out.push(texts(el.elements))
    else if (el.type === 'rich_text_list')
      for (const item of el.elements) out.push(`  • ${texts(item.elements)}`)
  }
  return out
}

export function render(blocks: types.KnownBlock[]): string {
  const lines: string[] = []
  for (const b of blocks) {
    if (b.type === 'section' && b.text) lines.push(mrkdwn(b.text.text))
    else if (b.type === 'rich_text') lines.push(...richText(b))
    else if (b.type === 'context')
      lines.push(`  ${b.elements.map((e) => mrkdwn('text' in e ? e.text : '')).join(' ')}`)
    else if (b.type === 'actions')
      lines.push(b.elements.map((e) => `[ ${'text' in e && e.text ? e.text.text : ''} ]`).join(' '))
  }
  return lines.join('\n')
}

for (const [title, item] of samples) {
  process.stdout.write(
    `### ${title}\n\n\`\`\`text\n${render(reviewMessage(item, now).blocks)}\n\`\`\`\n\n`,
  )
}
