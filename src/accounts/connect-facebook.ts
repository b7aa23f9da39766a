import type { FacebookAccount } from '../config/accounts.js'
import {
  type ModeratablePage,
  subscribePage,
  unsubscribePage,
} from '../connectors/facebook/oauth.js'
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
} from './onboarding.js'
import { saveToken } from './token-store.js'

/** Graph's address and version from the environment, for the OAuth and subscription calls. */
export function graphTarget(ob: Onboarding) {
  return { graphUrl: ob.env.FACEBOOK_GRAPH_URL, apiVersion: ob.env.FACEBOOK_API_VERSION }
}

/**
 * Connects one Page the person moderates: subscribes the app to its `feed` webhook, stores its
 * Page token sealed, and (unless the YAML file already lists the Page, or it was connected
 * before) saves the account with the given settings. Connecting a Page again replaces its token
 * and keeps its settings, which is how an expired token is fixed.
 *
 * @NOTE the subscription comes first: if Graph refuses it, nothing is stored and the person sees
 * Graph's reason; a Page saved without a subscription would look watched and receive nothing.
 */
export async function connectFacebookPage(
  ob: Onboarding,
  input: { page: ModeratablePage; settings?: AccountSettings; by: string },
): Promise<ConnectResult> {
  const keyring = requireKeyring(ob)
  const { page } = input
  const existing = await findFacebookAccount(ob, page.id)
  const { account, managedIn, isNew } = await accountToConnect(ob, {
    existing,
    settings: input.settings,
    platformFields: { platform: 'facebook', pageId: page.id },
    label: `Page ${page.id}`,
  })

  await subscribePage({ ...graphTarget(ob), pageId: page.id, pageToken: page.pageToken })
  if (isNew) await saveConnectedAccount(ob.db, account, input.by)
  await saveToken(ob.db, keyring, {
    accountId: account.id,
    kind: 'page',
    secret: page.pageToken,
    // @NOTE a Page token got with a long-lived user token has no expiry; the daily check watches it
    expiresAt: null,
  })
  await recordAccountEvent(ob, {
    type: 'account.connected',
    accountId: account.id,
    by: input.by,
    reason: existing
      ? `Facebook Page ${page.name} reconnected`
      : `Facebook Page ${page.name} connected`,
    meta: { platform: 'facebook', pageId: page.id, managedIn, tasks: page.tasks },
    dedupeKey: `account/${account.id}/connected/${fingerprint(page.pageToken)}`,
  })
  return { accountId: account.id, managedIn }
}

/** The Page's watched account, if any: from YAML first, else one connected earlier. */
export function findFacebookAccount(ob: Onboarding, pageId: string) {
  return findWatchedAccount<FacebookAccount>(ob, 'facebook', pageId)
}

/** Removes the app's subscription; used when an account is removed. */
export async function unsubscribeFacebookPage(
  ob: Onboarding,
  pageId: string,
  pageToken: string,
): Promise<void> {
  await unsubscribePage({ ...graphTarget(ob), pageId, pageToken })
}
