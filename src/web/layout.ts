/** The page shell and small shared pieces. Every value goes through hono/html, which escapes it. */
import { createHash } from 'node:crypto'
import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import type { WebUser } from './users.js'

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>

const STYLE = `
body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{background:#1d3557;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header a{color:#fff}header nav{display:flex;gap:1rem;flex:1}
main{padding:1rem;max-width:1200px;margin:auto}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#eef}form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:1rem}
label{display:flex;flex-direction:column;font-size:.85rem}
.tag{display:inline-block;padding:0 .4rem;border-radius:.3rem;background:#e5e5e5;margin:1px}
.act{background:#f8d7da}.review{background:#fff3cd}.allow{background:#d4edda}
.error{color:#a00;font-weight:bold}.muted{color:#666}
blockquote{background:#fff;border-left:4px solid #1d3557;margin:0;padding:.5rem 1rem;white-space:pre-wrap}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1rem}
.card{background:#fff;border:1px solid #ddd;padding:.6rem}
form.stack{display:flex;flex-direction:column;gap:.6rem;max-width:44rem}
.settings{display:flex;flex-direction:column;gap:.4rem}label.inline span{font-size:.95rem}
td.working{background:#d4edda}td.expiring{background:#fff3cd}td.failing,td.none{background:#f8d7da}
.connect{display:flex;gap:1rem;flex-wrap:wrap;align-items:center}
`

/**
 * The Content-Security-Policy of every page: nothing may run (no script at all), and the one
 * inline stylesheet is allowed by its hash, so the evidence file stays a single self-contained
 * page. @NOTE no form-action: the Connect forms are redirected on to Facebook's and X's sign-in.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ')

export function page(opts: {
  title: string
  user?: WebUser | null
  csrfToken?: string
  body: Html
}): Html {
  const u = opts.user
  return html`<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${opts.title} · Wardguard</title><style>${raw(STYLE)}</style></head>
<body>
<header><strong>Wardguard audit</strong>${
    u
      ? html`<nav><a href="/audit">Overview</a><a href="/audit/decisions">Decisions</a><a href="/audit/disagreements">Disagreements</a><a href="/audit/shadow">Shadow runs</a>${
          u.role === 'admin'
            ? html`<a href="/audit/accounts">Accounts</a><a href="/audit/tokens">API tokens</a>`
            : ''
        }</nav>
<span>${u.username} (${u.role})</span>
<form method="post" action="/signout">${csrfField(opts.csrfToken ?? '')}<button>Sign out</button></form>`
      : ''
  }</header>
<main>
<h1>${opts.title}</h1>
${opts.body}
</main>
</body></html>`
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`
}

export function formatTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')
}

export function errorPage(status: number, message: string, user?: WebUser | null): Html {
  return page({
    title: status === 403 ? 'Not allowed' : 'Error',
    user,
    body: html`<p class="error">${message}</p>`,
  })
}

/** Links only to http(s): a stored permalink must never become a javascript: URL. */
export function safeUrl(url: string | null | undefined): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null
}
