/** The evidence bundle as one self-contained HTML file (no external assets), JSON embedded. */
import { html, raw } from 'hono/html'
import type { EvidenceBundle } from './evidence.js'
import { safeUrl, standalonePage } from './layout.js'

export async function renderEvidenceHtml(bundle: EvidenceBundle): Promise<string> {
  // @NOTE `<` escaped so the embedded JSON can never close its <script> element
  const json = JSON.stringify(bundle, null, 2).replaceAll('<', '\\u003c')
  const body = html`<p>Generated ${bundle.generatedAt} (UTC) by ${bundle.generatedBy}. Scope: ${JSON.stringify(bundle.scope)}.</p>
<p>Bundle sha256: <code>${bundle.bundleSha256}</code> (sha256 of the canonical JSON of the bundle without this field).
Audit chain: ${bundle.chain.ok ? `intact (${bundle.chain.checked} events checked)` : 'BROKEN — see JSON'}.</p>
${bundle.comments.map(
  (
    c,
  ) => html`<section class="card"><h2>${c.platform} comment ${c.commentId} (account ${c.accountId})</h2>
<p>Author: ${c.authorName ?? 'unknown'} (id ${c.authorId ?? '?'}) · Post ${c.postId ?? '?'}${safeUrl(c.permalink) ? html` · Permalink: <a href="${safeUrl(c.permalink)}">${c.permalink}</a>` : ''}</p>
${c.text !== null ? html`<blockquote>${c.text}</blockquote><p class="muted">sha256 of text: ${c.textSha256} — ${c.textMatchesRecord ? 'matches the hash recorded when it arrived' : 'does NOT match the recorded hash'}</p>` : html`<p class="muted">${c.textPurgedAt ? `Text purged by retention on ${c.textPurgedAt.slice(0, 10)}.` : 'No text recorded.'}</p>`}
${c.reasons.length > 0 ? html`<ul>${c.reasons.map((r) => html`<li>${r.category} (${r.rule}): ${r.explanation}, matched “${r.match}”</li>`)}</ul>` : ''}
<table><thead><tr><th>#</th><th>When (UTC)</th><th>Event</th><th>By</th><th>Categories / rules</th><th>Explanation</th><th>Hash</th></tr></thead><tbody>
${c.events.map((e) => html`<tr><td>${e.id}</td><td>${e.createdAt}</td><td>${e.type}</td><td>${e.actor.kind}: ${e.actor.id}</td><td>${e.categories.join(', ')} ${e.ruleIds.join(', ')}</td><td>${e.reason ?? ''}</td><td><code>${e.hash.slice(0, 16)}…</code></td></tr>`)}
</tbody></table></section>`,
)}
<script type="application/json" id="evidence-json">${raw(json)}</script>`
  return String(
    await standalonePage({ title: `Evidence bundle ${bundle.bundleSha256.slice(0, 12)}`, body }),
  )
}
