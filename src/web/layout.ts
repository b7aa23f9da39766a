/**
 * The page shell (GOV.UK Frontend's header, service navigation and width container, without
 * the crown) and small shared pieces. Every value goes through hono/html, which escapes it.
 */
import { createHash } from 'node:crypto'
import { getContext } from 'hono/context-storage'
import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import { activeNav, NAV } from './nav.js'
import type { WebEnv } from './types.js'
import type { WebUser } from './users.js'

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>

/** The stylesheet's address; its ?v= changes with its content, so it can be cached for a year. */
export const STYLESHEET_PATH = '/assets/wardguard.css'

/**
 * The evidence bundle is one self-contained file (it is saved and handed on), so it carries
 * its own small stylesheet inline; every other page links the design system's stylesheet.
 */
const EVIDENCE_STYLE = `
body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#0b0c0c;background:#fff}
main{padding:1rem;max-width:1200px;margin:auto}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #b1b4b6;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem;overflow-wrap:anywhere}
blockquote{border-left:4px solid #1d70b8;margin:0;padding:.5rem 1rem;white-space:pre-wrap}
.card{border:1px solid #b1b4b6;padding:.6rem;margin-bottom:1rem}.muted{color:#505a5f}
@media (max-width:40em){th,td{font-size:.8rem;padding:.2rem}}
`

/**
 * The Content-Security-Policy of every page: nothing may run (no script at all), stylesheets
 * only from this site, plus the evidence file's inline one by its hash.
 * @NOTE no form-action: the Connect forms are redirected on to Facebook's and X's sign-in.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'self' 'sha256-${createHash('sha256').update(EVIDENCE_STYLE).digest('base64')}'`,
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ')

type Shell = { council: string; path: string; user: WebUser | null; csrfToken: string }

/** What the current request knows (council, path, who is signed in); defaults outside one. */
function shell(): Shell {
  try {
    const c = getContext<WebEnv>()
    const session = c.get('session')
    return {
      council: c.get('council') ?? '',
      path: c.req.path,
      user: session?.user ?? null,
      csrfToken: session?.csrfToken ?? '',
    }
  } catch {
    return { council: '', path: '', user: null, csrfToken: '' }
  }
}

export function page(opts: {
  title: string
  user?: WebUser | null
  csrfToken?: string
  body: Html
  /** a line under the heading */
  lead?: Html | string
  /** the heading's caption, e.g. the account a page is about */
  caption?: string
  /** outside a web request (the host app's 404): the council's name */
  council?: string
}): Html {
  const s = shell()
  if (opts.council) s.council = opts.council
  const u = opts.user === undefined ? s.user : opts.user
  const csrf = opts.csrfToken ?? s.csrfToken
  const active = activeNav(s.path)
  const items = u ? NAV.filter((i) => !i.roles || i.roles.includes(u.role)) : []
  const council = s.council || 'Wardguard'
  return html`<!doctype html>
<html lang="en-GB" class="govuk-template">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${opts.title} · ${council} · Wardguard</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}"></head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-header" data-module="govuk-header">
<div class="govuk-header__container govuk-width-container">
<div class="govuk-header__logo"><a href="/audit" class="govuk-header__link govuk-header__link--homepage"><span class="wg-header__council">${council}</span></a></div>
</div></header>
<section aria-label="Service information" class="govuk-service-navigation">
<div class="govuk-width-container"><div class="govuk-service-navigation__container">
<span class="govuk-service-navigation__service-name"><a href="/audit" class="govuk-service-navigation__link">Wardguard moderation</a></span>
${
  items.length > 0
    ? html`<nav aria-label="Menu" class="govuk-service-navigation__wrapper"><ul class="govuk-service-navigation__list" id="navigation">
${items.map(
  (i) =>
    html`<li class="govuk-service-navigation__item${i.key === active ? ' govuk-service-navigation__item--active' : ''}"><a class="govuk-service-navigation__link" href="${i.href}"${i.key === active ? raw(' aria-current="page"') : ''}>${i.label}</a></li>`,
)}
<li class="govuk-service-navigation__item"><form method="post" action="/signout" class="wg-inline-form">${csrfField(csrf)}<button class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-top-1" type="submit">Sign out <span class="govuk-visually-hidden">${u?.displayName ?? u?.username}</span></button></form></li>
</ul></nav>`
    : ''
}
</div></div></section>
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content">
${opts.caption ? html`<span class="govuk-caption-l">${opts.caption}</span>` : ''}
<h1 class="govuk-heading-l">${opts.title}</h1>
${opts.lead ? html`<p class="govuk-body-l">${opts.lead}</p>` : ''}
${opts.body}
</main></div>
<footer class="govuk-footer"><div class="govuk-width-container"><div class="govuk-footer__meta"><div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
<p class="govuk-body-s">${u ? html`Signed in as ${u.displayName ?? u.username} (${ROLE_NAMES[u.role]}). ` : ''}Wardguard keeps a tamper-evident record of every moderation decision for ${council}.</p>
</div></div></div></footer>
</body></html>`
}

export const ROLE_NAMES: Record<WebUser['role'], string> = {
  admin: 'admin',
  auditor: 'auditor',
  councillor: 'councillor',
}

/** The evidence file: the same content, standalone, with its own inline stylesheet. */
export function standalonePage(opts: { title: string; body: Html }): Html {
  return html`<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${opts.title} · Wardguard</title><style>${raw(EVIDENCE_STYLE)}</style></head>
<body><main><h1>${opts.title}</h1>
${opts.body}
</main></body></html>`
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

/** A time as a council officer reads it: UK local time (GMT or BST), e.g. "1 Jul 2026, 13:00". */
export function formatTime(iso: string): string {
  const t = Date.parse(iso)
  return Number.isFinite(t) ? LONDON.format(t) : iso
}

/** A <time> element in UK local time that does not wrap, with the exact instant for machines. */
export function timeTag(iso: string): Html {
  return html`<time class="wg-nowrap" datetime="${iso}">${formatTime(iso)}</time>`
}

const TITLES: Record<number, string> = {
  400: 'There is a problem with that request',
  401: 'Please sign in',
  403: 'You cannot do that',
  404: 'Page not found',
  429: 'Too many attempts',
  500: 'Sorry, there is a problem with the service',
  503: 'Sorry, the service is unavailable',
}

export function errorPage(status: number, message: string, user?: WebUser | null): Html {
  return page({
    title: TITLES[status] ?? 'Sorry, there is a problem',
    user,
    body: html`<p class="govuk-body" role="alert">${message}</p>
<p class="govuk-body"><a class="govuk-link" href="/audit">Go to the overview</a></p>`,
  })
}

/** The answer to a browser asking for a page that does not exist. */
export function notFoundPage(opts: {
  user: WebUser | null
  csrfToken: string
  council: string
}): Html {
  return page({
    title: 'Page not found',
    ...opts,
    body: html`<p class="govuk-body">If you typed the web address, check it is correct.</p>
<p class="govuk-body">If you pasted the web address, check you copied the entire address.</p>
<p class="govuk-body"><a class="govuk-link" href="/audit">Go to the overview</a></p>`,
  })
}

/** Links only to http(s): a stored permalink must never become a javascript: URL. */
export function safeUrl(url: string | null | undefined): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null
}
