import type { XAccount } from '../config/accounts.js'
import { revokeXToken, type XOAuthClient, type XTokens } from '../connectors/x/oauth.js'
import { fingerprint } from '../pipeline/accounts.js'
import { saveConnectedAccount } from './account-store.js'
import {
  type AccountSettings,
  accountToConnect,
  type ConnectResult,
  findWatchedAccount,
  type Onboarding,
  recordAccountEvent,
  requireKeyring,
  requireSetting,
} from './onboarding.js'
import { saveToken } from './token-store.js'

/** The OAuth 2.0 client from the environment (X_CLIENT_ID, X_CLIENT_SECRET, the base URLs). */
export function xOAuthClient(ob: Onboarding): XOAuthClient {
  return {
    apiUrl: ob.env.X_API_URL,
    authorizeUrl: ob.env.X_AUTHORIZE_URL,
    clientId: requireSetting(ob.env, 'X_CLIENT_ID', 'to connect X accounts (OAuth 2.0 client id)'),
    clientSecret: ob.env.X_CLIENT_SECRET,
  }
}

/**
 * Connects the X account the tokens belong to: stores its access and refresh tokens sealed and,
 * unless YAML already lists the account or it was connected before, saves it with the settings.
 * X accounts are polled by default (the webhook product is Enterprise-only).
 */
export async function connectXAccount(
  ob: Onboarding,
  input: {
    tokens: XTokens
    settings?: AccountSettings & { tier?: XAccount['tier'] }
    by: string
  },
): Promise<ConnectResult> {
  // @NOTE fail before anything is saved when tokens could not be stored
  requireKeyring(ob)
  const { tokens } = input
  const existing = await findXAccount(ob, tokens.userId)
  const { account, managedIn, isNew } = await accountToConnect(ob, {
    existing,
    settings: input.settings,
    platformFields: {
      platform: 'x',
      userId: tokens.userId,
      handle: tokens.username,
      ingest: 'poll',
    },
    label: `@${tokens.username}`,
  })
  if (isNew) await saveConnectedAccount(ob.db, account, input.by)
  await saveXTokens(ob, account.id, tokens)
  await recordAccountEvent(ob, {
    type: 'account.connected',
    accountId: account.id,
    by: input.by,
    reason: existing
      ? `X account @${tokens.username} reconnected`
      : `X account @${tokens.username} connected`,
    meta: { platform: 'x', userId: tokens.userId, managedIn, scopes: tokens.scopes },
    dedupeKey: `account/${account.id}/connected/${fingerprint(tokens.accessToken)}`,
  })
  return { accountId: account.id, managedIn }
}

/**
 * Stores a token pair. @NOTE the refresh token first: X has already retired the old one, so a
 * new refresh token that was not saved would lose the account until someone reconnects it.
 */
export async function saveXTokens(ob: Onboarding, accountId: string, tokens: XTokens) {
  const keyring = requireKeyring(ob)
  await saveToken(ob.db, keyring, {
    accountId,
    kind: 'refresh',
    secret: tokens.refreshToken,
    scopes: tokens.scopes,
  })
  await saveToken(ob.db, keyring, {
    accountId,
    kind: 'access',
    secret: tokens.accessToken,
    expiresAt: tokens.expiresAt,
    scopes: tokens.scopes,
  })
}

/** The X account's watched account, if any: from YAML first, else one connected earlier. */
export function findXAccount(ob: Onboarding, userId: string) {
  return findWatchedAccount<XAccount>(ob, 'x', userId)
}

/** Revokes a token at X; used when an account is removed. */
export async function revokeX(ob: Onboarding, token: string, kind: 'access' | 'refresh') {
  await revokeXToken({ ...xOAuthClient(ob), token, kind })
}
