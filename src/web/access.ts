/** Who may see what: admins and auditors see every account; councillors only their own. */
import type { WebAccount } from './types.js'
import type { WebUser } from './users.js'

export type Scope = { all: true } | { all: false; accountIds: string[] }

export function scopeFor(user: WebUser): Scope {
  return user.role === 'councillor' ? { all: false, accountIds: user.accountIds } : { all: true }
}

export function canSeeAccount(scope: Scope, accountId: string | null): boolean {
  if (scope.all) return true
  return accountId !== null && scope.accountIds.includes(accountId)
}

export function visibleAccounts(scope: Scope, accounts: WebAccount[]): WebAccount[] {
  return accounts.filter((a) => canSeeAccount(scope, a.id))
}

/**
 * @NOTE the issue names comment text as what auditors see; councillors get the record of what
 * was done on their Page without the words (they can open the comment on the platform).
 */
export function canSeeText(user: WebUser): boolean {
  return user.role === 'admin' || user.role === 'auditor'
}
