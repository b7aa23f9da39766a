/**
 * Deciding from the web: the same decide() and act queue as Slack, and the same authorisation
 * (a moderator of that account: the user's linked moderator id is in its review list).
 */
import { z } from 'zod'
import { type DeskItem, deskItem } from '../audit/index.js'
import { checkExplanation } from '../connectors/slack/explanation.js'
import { needsExplanation } from '../connectors/slack/modal.js'
import type { Verdict } from '../connectors/slack/types.js'
import { httpLogger } from '../logger.js'
import { canSeeAccount, scopeFor } from './access.js'
import type { WebDeps } from './types.js'
import type { WebUser } from './users.js'

const log = httpLogger.child({ component: 'web-desk' })

export const VERDICTS = ['remove', 'hide', 'keep', 'ban', 'escalate'] as const
export const MAX_BULK = 100

/** One subject as a form sends it: "subjectKey|eventId", the newest event the person saw. */
const SubjectRef = z
  .string()
  .max(400)
  .regex(/^[^|]{1,300}\|\d{1,20}$/, 'a comment reference')
  .transform((v) => {
    const at = v.lastIndexOf('|')
    return { subjectKey: v.slice(0, at), seenEventId: v.slice(at + 1) }
  })

export const ActFormSchema = z.object({
  subject: z.array(SubjectRef).min(1, 'Select at least one comment.').max(MAX_BULK),
  verdict: z.enum(VERDICTS),
  explanation: z.string().max(3000).optional(),
  back: z
    .string()
    .regex(/^\/audit(\/[^\s\\]*)?(\?[^\s\\]*)?$/)
    .optional(),
})
export type ActForm = z.infer<typeof ActFormSchema>

/** Whether this user may decide on this account's comments. Auditors only ever read. */
export function canDecide(user: WebUser, deps: WebDeps, accountId: string): boolean {
  if (!deps.review || user.role === 'auditor' || !user.slackUserId) return false
  if (!canSeeAccount(scopeFor(user), accountId)) return false
  return deps.review.moderatorsOf(accountId).includes(user.slackUserId)
}

/** Whether the user may decide on any account they see (shows the selection and buttons). */
export function canDecideAny(user: WebUser, deps: WebDeps): boolean {
  return deps.accounts().some((a) => canDecide(user, deps, a.id))
}

export type ActResult =
  | { subjectKey: string; status: 'decided' }
  | { subjectKey: string; status: 'already_decided'; by: string; verdict: Verdict }
  | { subjectKey: string; status: 'explanation_required' }
  | { subjectKey: string; status: 'not_allowed' }
  | { subjectKey: string; status: 'gone' }
  | { subjectKey: string; status: 'failed' }

/** Which of these would need an explanation (a removal, a ban, or putting a hidden one back). */
export async function explanationNeeded(deps: WebDeps, form: ActForm): Promise<boolean> {
  if (form.verdict === 'remove' || form.verdict === 'ban') return true
  if (form.verdict !== 'keep') return false
  for (const ref of form.subject) {
    const item = await deskItem(deps.db, ref.subjectKey)
    if (item && needsExplanation('keep', { hidden: item.status.visibility === 'hidden' }))
      return true
  }
  return false
}

export function explanationProblem(text: string | undefined): string | null {
  const checked = checkExplanation(text)
  return checked.ok ? null : checked.problem
}

/** Decides each selected comment in turn; one failure does not stop the others. */
export async function actOn(
  deps: WebDeps,
  user: WebUser,
  form: ActForm,
  now: Date,
): Promise<ActResult[]> {
  const review = deps.review
  const results: ActResult[] = []
  const checked = form.explanation ? checkExplanation(form.explanation) : null
  const explanation = checked?.ok ? checked.text : null
  for (const ref of form.subject) {
    const item: DeskItem | null = await deskItem(deps.db, ref.subjectKey)
    if (!item || !review) {
      results.push({ subjectKey: ref.subjectKey, status: 'gone' })
      continue
    }
    const accountId = item.status.accountId
    if (!canDecide(user, deps, accountId)) {
      log.info({ user: user.username, accountId }, 'web decision refused: not a moderator')
      results.push({ subjectKey: ref.subjectKey, status: 'not_allowed' })
      continue
    }
    const hiddenBefore = item.status.visibility === 'hidden'
    try {
      const r = await review.decide({
        subjectKey: ref.subjectKey,
        verdict: form.verdict,
        explanation,
        slackUserId: user.slackUserId as string,
        slackUserName: user.displayName ?? user.username,
        dedupeKey: `web/${user.username}/${ref.subjectKey}/${ref.seenEventId}/${form.verdict}`,
        channel: '',
        messageTs: '',
        replyWithExplanation: review.replyWithExplanation(accountId),
        tool: { name: 'web', meta: { username: user.username } },
        seenEventId: ref.seenEventId,
      })
      if (r.status === 'decided') {
        await review.showOnSlack(
          ref.subjectKey,
          { verdict: form.verdict, by: user.slackUserId as string, explanation, at: now },
          hiddenBefore,
        )
      }
      results.push({ subjectKey: ref.subjectKey, ...r })
    } catch (err) {
      log.error({ err: (err as Error).name, subjectKey: ref.subjectKey }, 'web decision failed')
      results.push({ subjectKey: ref.subjectKey, status: 'failed' })
    }
  }
  return results
}
