/** GET /policy/:accountId: the public moderation guidelines of one account, no sign-in. */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { page } from '../layout.js'
import { summarisePolicy } from '../policy-text.js'
import type { WebDeps, WebEnv } from '../types.js'

export function policyRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/policy/:accountId', (c) => {
    const account = deps.accounts().find((a) => a.id === c.req.param('accountId'))
    if (!account)
      return c.html(
        page({
          title: 'No such page',
          body: html`<p>We do not moderate an account by that name.</p>`,
        }),
        404,
      )
    const s = summarisePolicy(account.policy)
    const where = account.platform === 'facebook' ? 'Facebook Page' : 'X account'
    const contact = account.ownerEmail ?? deps.council.contact
    const body = html`<p>${account.name} welcomes comments on this ${where}, including criticism of ${account.ownerName},
the council and its decisions. <strong>Disagreement and criticism stay up</strong>, however strongly put: we only act
on comments that break the law or these guidelines, and we never hide a comment because it is critical.</p>
<p>Comments are checked by software that applies the rules below, and by council staff for anything that needs judgement.
Every decision is recorded with its reason.</p>
<h2>What we hide</h2>
${s.hidden.length > 0 ? html`<ul id="hidden">${s.hidden.map((t) => html`<li>${t}</li>`)}</ul>` : html`<p>Nothing is hidden automatically.</p>`}
<h2>What a person reviews</h2>
<p>These comments stay as they are, or are hidden while a member of staff decides, and are then kept, hidden or removed:</p>
${s.reviewed.length > 0 ? html`<ul id="reviewed">${s.reviewed.map((t) => html`<li>${t}</li>`)}</ul>` : html`<p>None.</p>`}
${s.escalated.length > 0 ? html`<p>Comments containing ${s.escalated.join('; ')} are also passed to the council's safety officer${deps.council.safetyContact ? ` (${deps.council.safetyContact})` : ''}, who may contact the police.</p>` : ''}
${s.strikes ? html`<h2>Repeated breaches</h2><p>Someone who breaks these guidelines ${s.repeatOffenders.hideThreshold} or more times within ${s.repeatOffenders.windowDays} days may have further comments hidden until reviewed, and may be blocked.</p>` : ''}
${s.preElection.from && s.preElection.to ? html`<p>During the pre-election period (${s.preElection.from} to ${s.preElection.to}) the rules are applied more strictly.</p>` : ''}
<h2>If your comment was hidden or removed</h2>
<p>You can ask why and ask for it to be looked at again${contact ? html` by writing to <a href="mailto:${contact}">${contact}</a>` : ` by contacting ${deps.council.name}`}.
Please say which comment it was and when you posted it. We keep a record of every decision and will tell you the reason.</p>
<p class="muted">${deps.council.name}. Policy version ${account.policy.version}.</p>`
    return c.html(page({ title: `Comment guidelines: ${account.name}`, body }))
  })
  return app
}
