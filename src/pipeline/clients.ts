import type { Account } from '../config/accounts.js'
import type { Env } from '../config/env.js'
import { createFacebookClient } from '../connectors/facebook/client.js'
import type { PlatformClient } from '../connectors/types.js'
import { createXClient } from '../connectors/x/client.js'
import { connectorLogger } from '../logger.js'

/** Builds each account's platform client, pointed at the base URLs from the environment. */
export function makePlatformClient(env: Env) {
  return (account: Account, token: string): PlatformClient => {
    if (account.platform === 'facebook') {
      return createFacebookClient({
        graphUrl: env.FACEBOOK_GRAPH_URL,
        apiVersion: env.FACEBOOK_API_VERSION,
        pageToken: token,
        pageId: account.pageId,
        logger: connectorLogger,
      })
    }
    return createXClient({
      apiUrl: env.X_API_URL,
      accessToken: token,
      accountId: account.userId,
      tier: account.tier,
      logger: connectorLogger,
    })
  }
}
