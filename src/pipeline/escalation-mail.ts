/**
 * The mail that takes an escalated item to the council's safety contact, sent over SMTP with
 * nodemailer. @NOTE the body carries the comment's words: the safety officer must see the
 * threat to act on it, and the mail is the hand-over of that evidence (docs/slack-messages.md).
 */
import nodemailer from 'nodemailer'
import { platformName, stateText, verdictOutcome } from '../connectors/slack/format.js'
import type { ReviewItem } from '../connectors/slack/types.js'

export type MailMessage = { to: string; subject: string; text: string }
export type MailReceipt = { accepted: string[]; rejected: string[]; messageId: string }
export type Mailer = { send(m: MailMessage): Promise<MailReceipt>; close(): void }

/** An SMTP mailer from SMTP_URL (smtp:// or smtps://, credentials in the URL). */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport({
    url,
    // @NOTE a hung server becomes a failed try (and a retry), not a job stuck on its lock
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  })
  return {
    async send(m) {
      const info = await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text })
      return {
        accepted: (info.accepted ?? []).map(String),
        rejected: (info.rejected ?? []).map(String),
        messageId: String(info.messageId ?? ''),
      }
    },
    close: () => transport.close(),
  }
}

/** Strips what a mail header or a plain-text line must not carry. */
function oneLine(s: string, max = 200): string {
  const flat = s.replace(/[\r\n\t\u0000-\u001f\u007f]+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`
}

const plain = (mrkdwn: string) => mrkdwn.replace(/:[a-z_]+: /g, '')

export function escalationMail(
  item: ReviewItem,
  ctx: { to: string; by: string; evidenceUrl: string | null; councilName: string },
): MailMessage {
  const on = platformName(item.platform)
  const what = item.categories.length ? item.categories.join(', ').replace(/_/g, ' ') : 'a concern'
  const lines = [
    `${ctx.by} has passed this ${on} comment to you for ${ctx.councilName}.`,
    '',
    `Account: ${oneLine(item.accountName)} (${on})`,
    `Concern: ${what}`,
    `State now: ${plain(stateText(item))}`,
    ...(item.resolution
      ? [`Decision so far: ${verdictOutcome(item.resolution.verdict, item)}`]
      : ['Decision so far: none yet; a moderator decides in Slack']),
    `Author: ${oneLine(item.author.name ?? item.author.id)}${item.author.profileUrl ? ` <${item.author.profileUrl}>` : ''}`,
    `Received: ${item.receivedAt}`,
    ...(item.permalink ? [`Comment: ${item.permalink}`] : []),
    '',
    'What it says:',
    item.text === null
      ? '(the text has been purged under the retention policy)'
      : item.text
          .split('\n')
          .map((l) => `> ${l}`)
          .join('\n'),
    '',
    'Why it was flagged:',
    ...item.reasons.map((r) => `- ${oneLine(r.explanation, 300)}: '${oneLine(r.match, 120)}'`),
    '',
    ...(ctx.evidenceUrl ? [`The full record and evidence bundle: ${ctx.evidenceUrl}`, ''] : []),
    `Reference: ${item.subjectKey}`,
    'Sent by Wardguard. Reply to the council comms team, not to this address.',
  ]
  return {
    to: ctx.to,
    subject: oneLine(`[Wardguard] Escalated: ${what} on ${item.accountName} (${on})`),
    text: lines.join('\n'),
  }
}
