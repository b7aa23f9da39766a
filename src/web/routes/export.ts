/**
 * GET /audit/export.csv and /audit/export.json: the decisions view with the same filters,
 * streamed page by page so 100,000 rows never sit in memory. Session or read-only API token.
 */
import { type Context, Hono } from 'hono'
import { stream } from 'hono/streaming'
import { canSeeText, scopeFor } from '../access.js'
import { currentUser, requireUserOrToken } from '../auth.js'
import { csvLine } from '../csv.js'
import {
  type DecisionRow,
  outcomeOf,
  parseDecisionQuery,
  scanDecisions,
} from '../decision-query.js'
import type { WebDeps, WebEnv } from '../types.js'

const COLUMNS = [
  'event_id',
  'created_at',
  'type',
  'account_id',
  'platform',
  'comment_id',
  'post_id',
  'author_id',
  'decided_by',
  'actor_id',
  'actor_name',
  'outcome',
  'categories',
  'rule_ids',
  'reason',
  'hash',
] as const

/** Who, in words: the moderator's Slack display name when it was recorded, or the policy. */
function actorName(e: DecisionRow['event']): string | null {
  if (e.actor.kind === 'policy') return `Wardguard policy (version ${e.actor.id})`
  const name = e.meta.actorName ?? e.meta.slackUserName
  return typeof name === 'string' && name ? name : null
}

function record(row: DecisionRow, withText: boolean) {
  const e = row.event
  const base = {
    event_id: e.id,
    created_at: e.createdAt,
    type: e.type,
    account_id: e.accountId,
    platform: e.platform,
    comment_id: e.commentId,
    post_id: e.postId,
    author_id: e.authorId,
    decided_by: e.actor.kind === 'policy' ? 'automatic' : 'human',
    actor_id: e.actor.id,
    actor_name: actorName(e),
    outcome: outcomeOf(e),
    categories: e.categories.join(' '),
    rule_ids: e.ruleIds.join(' '),
    reason: e.reason,
    hash: e.hash,
  }
  if (!withText) return base
  return {
    ...base,
    author_name: row.snapshot?.authorName ?? null,
    permalink: row.snapshot?.permalink ?? null,
    text: row.snapshot?.text ?? null,
    text_purged_at: row.snapshot?.purgedAt ?? null,
  }
}

export function exportRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  const handler = async (c: Context<WebEnv>, format: 'csv' | 'json') => {
    const user = currentUser(c)
    const raw = c.req.query()
    const q = parseDecisionQuery(raw)
    const withText = canSeeText(user)
    if (!withText) q.q = undefined
    const rows = scanDecisions(deps.db, q, scopeFor(user), { withText, batch: 500 })
    const stamp = new Date().toISOString().slice(0, 10)
    c.header(
      'content-type',
      format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    )
    c.header('content-disposition', `attachment; filename="wardguard-decisions-${stamp}.${format}"`)
    c.header('cache-control', 'no-store')
    return stream(c, async (out) => {
      const header = withText
        ? [...COLUMNS, 'author_name', 'permalink', 'text', 'text_purged_at']
        : COLUMNS
      await out.write(format === 'csv' ? csvLine([...header]) : '[')
      let n = 0
      let chunk = ''
      for await (const item of rows) {
        if ('paused' in item) break
        const r = record(item.row, withText)
        chunk +=
          format === 'csv' ? csvLine(Object.values(r)) : `${n > 0 ? ',' : ''}\n${JSON.stringify(r)}`
        n++
        // @NOTE flush every 200 rows: each write is a chunk on the wire, and the generator only
        // reads the next page from the store when the previous one has been written
        if (n % 200 === 0) {
          await out.write(chunk)
          chunk = ''
        }
      }
      await out.write(format === 'csv' ? chunk : `${chunk}\n]\n`)
    })
  }
  app.get('/audit/export.csv', requireUserOrToken(deps), (c) => handler(c, 'csv'))
  app.get('/audit/export.json', requireUserOrToken(deps), (c) => handler(c, 'json'))
  return app
}
