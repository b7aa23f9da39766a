import { randomBytes } from 'node:crypto'
import { AccountSchema } from '../config/accounts.js'
import { AppError } from '../errors.js'
import { listConnectedAccounts, saveConnectedAccount } from './account-store.js'
import { type AccountSettings, type Onboarding, recordAccountEvent } from './onboarding.js'

export type AccountChanges = Omit<AccountSettings, 'id'>

/**
 * Changes the name, owner and review settings of an account connected from the web app or the
 * CLI, and records who changed what (field names, not values) as `account.updated`. The id,
 * the platform and the platform id never change here: the audit trail is keyed on them.
 * YAML accounts are edited in the YAML file.
 */
export async function updateAccount(
  ob: Onboarding,
  input: { accountId: string; changes: AccountChanges; by: string },
): Promise<{ accountId: string; changed: string[] }> {
  const { accountId, changes } = input
  if (ob.yamlAccounts.some((a) => a.id === accountId))
    throw new AppError('message_invalid', `${accountId} is managed in the YAML file: edit it there`)
  const before = (await listConnectedAccounts(ob.db)).find((a) => a.id === accountId)
  if (!before) throw new AppError('message_invalid', `no connected account ${accountId}`)

  const parsed = AccountSchema.safeParse({
    ...before,
    name: changes.name,
    owner: changes.owner,
    review: { ...before.review, ...changes.review },
  })
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new AppError(
      'message_invalid',
      `The account settings are not valid: ${problems.join('; ')}`,
    )
  }
  const after = parsed.data
  const changed = changedFields(before, after)
  if (changed.length === 0) return { accountId, changed }
  await saveConnectedAccount(ob.db, after, input.by)
  await recordAccountEvent(ob, {
    type: 'account.updated',
    accountId,
    by: input.by,
    reason: `settings changed: ${changed.join(', ')}`,
    meta: { platform: after.platform, changed },
    // @NOTE a change back to an earlier value is a new fact, so the key is not the content's
    dedupeKey: `account/${accountId}/updated/${Date.now()}-${randomBytes(4).toString('hex')}`,
  })
  return { accountId, changed }
}

const FIELDS = [
  ['name', (a: AccountSettings) => a.name],
  ['owner.name', (a: AccountSettings) => a.owner.name],
  ['owner.email', (a: AccountSettings) => a.owner.email ?? ''],
  ['review.channel', (a: AccountSettings) => a.review.channel],
  ['review.moderators', (a: AccountSettings) => a.review.moderators.join(',')],
  ['review.replyWithExplanation', (a: AccountSettings) => String(!!a.review.replyWithExplanation)],
] as const

function changedFields(before: AccountSettings, after: AccountSettings): string[] {
  return FIELDS.filter(([, get]) => get(before) !== get(after)).map(([name]) => name)
}
