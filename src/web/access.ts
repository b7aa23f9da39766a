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
 * Comment text: admins and auditors always; a councillor by their own setting, on unless they
 * turned it off (issue 14: it is their Page, and the words are what they are asked about).
 * @NOTE scope still applies: a councillor only ever reaches their own accounts' comments.
 */
export function canSeeText(user: WebUser): boolean {
  if (user.role === 'admin' || user.role === 'auditor') return true
  return user.showText ?? true
}
