import { platformIdOf } from '../config/accounts.js'
import { AppError } from '../errors.js'
import { serviceLogger } from '../logger.js'
import { listConnectedAccounts, removeConnectedAccount } from './account-store.js'
import { unsubscribeFacebookPage } from './connect-facebook.js'
import { revokeX } from './connect-x.js'
import { type Onboarding, recordAccountEvent } from './onboarding.js'
import { deleteTokens, readToken } from './token-store.js'

export type RemoveResult = {
  accountId: string
  /** the platform was told (webhook unsubscribed, X tokens revoked) */
  platformNotified: boolean
  /** why it was not */
  platformProblem?: string
  tokensDeleted: number
}

/**
 * Removes an account connected from the web app or the CLI: unsubscribes its webhooks (Facebook)
 * or revokes its tokens (X), deletes its tokens and its row, and records who removed it and why.
 * Its audit history stays: the comms team must still be able to answer for what was decided.
 *
 * @NOTE a dead token cannot unsubscribe; the account is removed anyway (the person asked for it,
 * and keeping it would leave a token behind), and the result says the platform was not told.
 */
export async function removeAccount(
  ob: Onboarding,
  input: { accountId: string; by: string; reason: string },
): Promise<RemoveResult> {
  const { accountId } = input
  if (ob.yamlAccounts.some((a) => a.id === accountId))
    throw new AppError(
      'message_invalid',
      `${accountId} is managed in the YAML file: remove it there (its stored tokens can be deleted with the account's Forget token button)`,
    )
  const account = (await listConnectedAccounts(ob.db)).find((a) => a.id === accountId)
  if (!account) throw new AppError('message_invalid', `no connected account ${accountId}`)

  let platformProblem: string | undefined
  try {
    await tellPlatform(ob, account.platform, account.id, platformIdOf(account))
  } catch (err) {
    platformProblem = (err as Error).message
    serviceLogger.warn(
      { account: accountId, err: platformProblem },
      'the platform could not be told the account was removed',
    )
  }
  const tokensDeleted = await deleteTokens(ob.db, accountId)
  await removeConnectedAccount(ob.db, accountId)
  await recordAccountEvent(ob, {
    type: 'account.removed',
    accountId,
    by: input.by,
    reason: input.reason,
    meta: {
      platform: account.platform,
      platformNotified: platformProblem === undefined,
      ...(platformProblem ? { platformProblem } : {}),
      tokensDeleted,
    },
    dedupeKey: `account/${accountId}/removed/${Date.now()}`,
  })
  return {
    accountId,
    platformNotified: platformProblem === undefined,
    platformProblem,
    tokensDeleted,
  }
}

async function tellPlatform(
  ob: Onboarding,
  platform: 'facebook' | 'x',
  accountId: string,
  platformId: string,
): Promise<void> {
  const keyring = ob.keyring
  if (!keyring)
    throw new Error('TOKEN_ENCRYPTION_KEY is not set, so the stored token cannot be read')
  if (platform === 'facebook') {
    const token = await readToken(ob.db, keyring, accountId, 'page')
    if (token) await unsubscribeFacebookPage(ob, platformId, token.secret)
    return
  }
  // X: polled accounts have no webhook to drop; revoking the tokens ends Wardguard's access
  for (const kind of ['refresh', 'access'] as const) {
    const token = await readToken(ob.db, keyring, accountId, kind)
    if (token) await revokeX(ob, token.secret, kind)
  }
}
