/**
 * The Slack simulator's workspace: the scopes the bot token was granted (sent back in the
 * `x-oauth-scopes` header, as Slack does on every Web API response) and the channels it can see,
 * with the bot's membership. Answers `conversations.info` and the scope/membership checks of the
 * methods Wardguard calls. Error names follow Slack's method docs.
 */
type Json = Record<string, unknown>

export type SimChannel = {
  name: string
  /** private channels are invisible (channel_not_found) to a bot that is not in them */
  private?: boolean
  archived?: boolean
  /** whether the bot is in it; default true */
  member?: boolean
}

/** What a freshly installed Wardguard app holds by default. */
export const DEFAULT_SIM_SCOPES = ['chat:write', 'channels:read', 'groups:read', 'users:read']

export type SimWorkspace = {
  scopes: string[]
  /** channel id → channel; a channel not listed is treated as "any channel" by chat.* */
  channels: Map<string, SimChannel>
}

export function createWorkspace(opts: {
  scopes?: string[]
  channels?: Record<string, SimChannel>
}): SimWorkspace {
  return {
    scopes: [...(opts.scopes ?? DEFAULT_SIM_SCOPES)],
    channels: new Map(Object.entries(opts.channels ?? {})),
  }
}

export function scopeHeader(ws: SimWorkspace): Record<string, string> {
  return { 'x-oauth-scopes': ws.scopes.join(','), 'x-accepted-oauth-scopes': '' }
}

function missingScope(ws: SimWorkspace, needed: string): Json {
  return { ok: false, error: 'missing_scope', needed, provided: ws.scopes.join(',') }
}

/**
 * A refusal for this call under the workspace's scopes and memberships, or null to go ahead.
 * @NOTE chat.* to a channel the workspace does not list is let through, so tests that never
 * set up channels keep posting anywhere.
 */
export function refusal(ws: SimWorkspace, method: string, args: Json): Json | null {
  if (!method.startsWith('chat.')) return null
  if (!ws.scopes.includes('chat:write')) return missingScope(ws, 'chat:write')
  const ch = ws.channels.get(String(args.channel ?? ''))
  if (!ch) return null
  if (ch.private && ch.member === false) return { ok: false, error: 'channel_not_found' }
  if (ch.archived) return { ok: false, error: 'is_archived' }
  if (ch.member === false) return { ok: false, error: 'not_in_channel' }
  return null
}

export function conversationsInfo(ws: SimWorkspace, args: Json): Json {
  const id = String(args.channel ?? '')
  if (!id) return { ok: false, error: 'channel_not_found' }
  const ch = ws.channels.get(id)
  const needed = ch?.private ? 'groups:read' : 'channels:read'
  if (!ws.scopes.includes(needed)) return missingScope(ws, needed)
  if (!ch || (ch.private && ch.member === false)) return { ok: false, error: 'channel_not_found' }
  return {
    ok: true,
    channel: {
      id,
      name: ch.name,
      is_channel: !ch.private,
      is_group: false,
      is_private: Boolean(ch.private),
      is_archived: Boolean(ch.archived),
      is_member: ch.member !== false,
      created: 1_700_000_000,
    },
  }
}
