/**
 * Moderators' Slack display names (users.info), so the audit trail and its exports say "Priya
 * Patel" beside `slack/U0PRIYA`. Cached: a name changes rarely and every click would otherwise
 * cost a Web API call. A failure (no users:read scope, Slack away) gives null and the id stands.
 */
import type { Slack } from './decision.js'

export type NameLookup = (userId: string) => Promise<string | null>

const TTL_MS = 60 * 60_000
const MAX_ENTRIES = 1_000

export function slackNameLookup(client: Slack, now: () => number = Date.now): NameLookup {
  const cache = new Map<string, { name: string | null; until: number }>()
  return async (userId) => {
    const hit = cache.get(userId)
    if (hit && hit.until > now()) return hit.name
    let name: string | null = null
    try {
      const res = await client.users.info({ user: userId })
      const u = res.user
      name = u?.profile?.display_name || u?.real_name || u?.profile?.real_name || u?.name || null
    } catch {
      // @NOTE a failed lookup is cached briefly too, so a missing scope is not asked every click
      cache.set(userId, { name: null, until: now() + 60_000 })
      return null
    }
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string)
    const trimmed = name ? name.slice(0, 80) : null
    cache.set(userId, { name: trimmed, until: now() + TTL_MS })
    return trimmed
  }
}
