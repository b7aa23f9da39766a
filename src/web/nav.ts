/**
 * The web app's navigation: one entry per page, in order. A new page adds one line here (and
 * its route); `roles` limits who sees the link (the route still checks for itself).
 */
import type { Role } from './users.js'

export type NavItem = { key: string; href: string; label: string; roles?: Role[] }

export const NAV: NavItem[] = [
  { key: 'overview', href: '/audit', label: 'Overview' },
  { key: 'queue', href: '/audit/queue', label: 'Review queue' },
  { key: 'decisions', href: '/audit/decisions', label: 'Decisions' },
  // issue 17: learning from the moderators, and candidates seen before they act
  { key: 'disagreements', href: '/audit/disagreements', label: 'Disagreements' },
  { key: 'shadow', href: '/audit/shadow', label: 'Shadow runs' },
  { key: 'evidence', href: '/audit/evidence', label: 'Evidence', roles: ['admin', 'auditor'] },
  { key: 'accounts', href: '/audit/accounts', label: 'Accounts', roles: ['admin'] },
  { key: 'tokens', href: '/audit/tokens', label: 'API tokens', roles: ['admin'] },
  { key: 'settings', href: '/audit/settings', label: 'Settings' },
]

/** The entry a path belongs to: the longest href that is the path or a parent of it. */
export function activeNav(path: string): string | null {
  let best: NavItem | null = null
  for (const item of NAV) {
    const hit = path === item.href || (item.href !== '/audit' && path.startsWith(`${item.href}/`))
    if (hit && (!best || item.href.length > best.href.length)) best = item
  }
  if (!best && (path === '/audit' || path === '/')) return 'overview'
  if (!best && path.startsWith('/audit/comments/')) return 'decisions'
  return best?.key ?? null
}
