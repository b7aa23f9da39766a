import type { GraphSimulator } from '../../test/simulators/graph-sim.js'
import {
  blockActionsPayload,
  type SlackSim,
  sendInteraction,
  viewSubmissionPayload,
} from '../../test/simulators/slack-sim.js'
import { eventsForSubject } from '../audit/index.js'
import { actionIdFor } from '../connectors/slack/blocks.js'
import type { WardguardService } from '../service.js'
import { mrkdwnToText } from './mrkdwn.js'

const MODERATOR = 'U0DEMOADMIN'
const EXPLANATION = 'Unproven allegation of bribery against a named councillor (defamation risk).'

/**
 * The human half of the demo: shows the review message Slack received for one comment, then
 * plays the moderator pressing Remove and typing an explanation, and shows what followed.
 */
export async function reviewOneItem(opts: {
  out: NodeJS.WritableStream
  service: WardguardService
  slack: SlackSim
  graph: GraphSimulator
  subjectKey: string
}): Promise<void> {
  const { out, service, slack, graph, subjectKey } = opts
  const message = await until(async () =>
    slack.messages.find((m) => JSON.stringify(m.blocks).includes(subjectKey)),
  )
  if (!message) {
    out.write('No review message reached Slack in time.\n')
    return
  }
  out.write(
    `Slack review channel ${message.channel} received ${slack.messages.length} message(s). One of them:\n`,
  )
  const ansi = (out as { isTTY?: boolean }).isTTY === true
  out.write(indent(textOfBlocks(message.blocks, ansi)))
  const url = `${service.url}/slack/events`
  const signed = { signingSecret: 'demo-signing-secret' }
  out.write(`\nModerator ${MODERATOR} presses "Remove"…\n`)
  await sendInteraction(
    url,
    blockActionsPayload({
      userId: MODERATOR,
      channel: message.channel,
      messageTs: message.ts,
      actionId: actionIdFor('remove'),
      value: subjectKey,
      triggerId: slack.issueTrigger(),
    }),
    signed,
  )
  const view = await until(async () => slack.views.at(-1))
  if (!view) return
  out.write(`…a modal asks why; they write: "${EXPLANATION}"\n`)
  await sendInteraction(
    url,
    viewSubmissionPayload({
      userId: MODERATOR,
      view,
      values: { explanation: { text: { type: 'plain_text_input', value: EXPLANATION } } },
    }),
    signed,
  )
  const commentId = subjectKey.slice('facebook.'.length)
  await until(async () => graph.state.comment(commentId)?.deleted || undefined)
  const events = await eventsForSubject(service.db, subjectKey)
  out.write(
    `Facebook comment ${commentId}: ${graph.state.comment(commentId)?.deleted ? 'DELETED' : 'still there'}\n`,
  )
  out.write('Audit trail for it:\n')
  for (const e of events) {
    const why = e.reason ? ` — "${e.reason}"` : ''
    out.write(`  #${e.id} ${e.type} by ${e.actor.kind}:${e.actor.id.slice(0, 24)}${why}\n`)
  }
  const updated = slack.message(message.channel, message.ts)
  out.write(`\nThe Slack message was updated ${updated?.updates ?? 0} time(s); it now reads:\n`)
  out.write(indent(textOfBlocks(updated?.blocks ?? [], ansi)))
}

async function until<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined || Date.now() > deadline) return value
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The readable text of Block Kit blocks, roughly as Slack would show it. */
export function textOfBlocks(blocks: unknown[], ansi = false): string {
  const lines: string[] = []
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child)
      return
    }
    if (!node || typeof node !== 'object') return
    const n = node as Record<string, unknown>
    if (n.type === 'rich_text_section' || n.type === 'rich_text_quote') {
      // one paragraph of a rich_text block: its runs of text and links make one line
      lines.push(((n.elements as RichRun[]) ?? []).map(richRunText).join(''))
      return
    }
    if (n.type === 'actions') {
      const labels = ((n.elements as { text?: { text?: string } }[]) ?? []).map((b) => b.text?.text)
      lines.push(`[ ${labels.join(' ] [ ')} ]`)
      return
    }
    if (typeof n.text === 'string' && n.type === 'mrkdwn')
      lines.push(mrkdwnToText(n.text, { ansi }))
    else if (typeof n.text === 'string' && n.type !== 'plain_text_input') lines.push(n.text)
    for (const [key, value] of Object.entries(n))
      if (key !== 'text' || typeof value !== 'string') walk(value)
  }
  walk(blocks)
  return lines.join('\n')
}

type RichRun = { type?: string; text?: string; url?: string; user_id?: string; name?: string }

function richRunText(run: RichRun): string {
  if (run.type === 'link')
    return run.text && run.text !== run.url ? `${run.text} (${run.url})` : (run.url ?? '')
  if (run.type === 'user') return `@${run.user_id ?? ''}`
  if (run.type === 'emoji') return `:${run.name ?? ''}:`
  return run.text ?? ''
}

function indent(text: string): string {
  return `${text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => `    ${l}`)
    .join('\n')}\n`
}
