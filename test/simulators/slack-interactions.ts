/**
 * The other direction of the Slack simulator: Slack posting interactions to our app, signed
 * `v0:ts:body` with the signing secret, and the payload shapes Bolt routes (platforms.md §3.3).
 */
import { createHmac, randomBytes } from 'node:crypto'
import type { SimView } from './slack-sim.js'

type Json = Record<string, unknown>

export type SendOptions = {
  signingSecret: string
  /** Unix seconds; defaults to now */
  timestamp?: number
  retryNum?: number
  /** replaces the computed `v0=` signature */
  signature?: string
  /** defaults to global fetch; pass a Hono app's `fetch` to skip the socket */
  fetch?: (req: Request) => Response | Promise<Response>
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`
}

/** Posts a raw body signed like Slack does (`v0:ts:body`). */
export async function sendSigned(
  url: string,
  body: string,
  contentType: string,
  o: SendOptions,
): Promise<Response> {
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000)
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': o.signature ?? slackSignature(o.signingSecret, timestamp, body),
  }
  if (o.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(o.retryNum)
    headers['x-slack-retry-reason'] = 'http_timeout'
  }
  const req = new Request(url, { method: 'POST', headers, body })
  return o.fetch ? o.fetch(req) : fetch(req)
}

/** Interactivity is a form with one field, `payload=<json>`. */
export function sendInteraction(url: string, payload: Json, o: SendOptions): Promise<Response> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString()
  return sendSigned(url, body, 'application/x-www-form-urlencoded', o)
}

const team = { id: 'T0SIM', domain: 'council' }

export function blockActionsPayload(o: {
  userId: string
  userName?: string
  channel: string
  messageTs: string
  actionId: string
  value: string
  triggerId: string
  actionTs?: string
}): Json {
  const user = {
    id: o.userId,
    username: o.userName ?? o.userId.toLowerCase(),
    name: o.userName,
    team_id: team.id,
  }
  return {
    type: 'block_actions',
    user,
    api_app_id: 'A0SIM',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: o.messageTs,
      channel_id: o.channel,
      is_ephemeral: false,
    },
    trigger_id: o.triggerId,
    team,
    channel: { id: o.channel, name: 'review' },
    message: { type: 'message', ts: o.messageTs, text: '' },
    actions: [
      {
        type: 'button',
        action_id: o.actionId,
        block_id: 'review_actions',
        value: o.value,
        action_ts: o.actionTs ?? `${Date.now() / 1000}`,
      },
    ],
  }
}

/** A submission of a modal the simulator saw opened; `values` is `state.values`. */
export function viewSubmissionPayload(o: { userId: string; view: SimView; values: Json }): Json {
  return {
    type: 'view_submission',
    team,
    user: { id: o.userId, username: o.userId.toLowerCase(), team_id: team.id },
    api_app_id: 'A0SIM',
    token: 'legacy-verification-token',
    trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
    view: {
      ...o.view.view,
      id: o.view.id,
      team_id: team.id,
      hash: 'h',
      state: { values: o.values },
    },
    response_urls: [],
  }
}
