/**
 * GET /audit/evidence: a form (what to bundle); with ?comment=… | ?account=…&author=… |
 * ?account=…&post=… the bundle itself, as one HTML file or (evidence.json) JSON.
 */
import { type Context, Hono } from 'hono'
import { html } from 'hono/html'
import { isAppError } from '../../errors.js'
import { canSeeAccount, scopeFor, visibleAccounts } from '../access.js'
import { currentUser, nowOf, requireUser } from '../auth.js'
import { buildEvidence, EvidenceScopeSchema, parseEvidenceScope } from '../evidence.js'
import { renderEvidenceHtml } from '../evidence-html.js'
import { page } from '../layout.js'
import { platformName } from '../plain.js'
import type { WebDeps, WebEnv } from '../types.js'
import { errorSummary, inputField, selectField } from '../views/components.js'

function evidenceForm(c: Context<WebEnv>, deps: WebDeps, problem: string | null) {
  const q = c.req.query()
  const accounts = visibleAccounts(scopeFor(currentUser(c)), deps.accounts())
  return page({
    title: 'Evidence bundle',
    lead: 'A bundle is one file with the comments, every recorded event and the hashes that show nothing was changed. Give it to the police, a solicitor or the monitoring officer.',
    body: html`${errorSummary(problem ? [problem] : [])}
<form method="get" action="/audit/evidence" id="evidence-form">
<h2 class="govuk-heading-m">One comment</h2>
${inputField({ name: 'comment', label: 'Comment reference', value: q.comment, hint: 'As shown on a comment’s page and in Slack, for example facebook.123_456.', width: 'govuk-!-width-two-thirds' })}
<h2 class="govuk-heading-m">Or everything by one author, or under one post</h2>
${selectField({ name: 'account', label: 'Account', value: q.account, options: accounts.map((a) => [a.id, `${a.name} (${platformName(a.platform)})`]), anyLabel: 'Choose an account' })}
${inputField({ name: 'author', label: 'Author id', value: q.author, hint: 'On the author’s page, in its address.', width: 'govuk-!-width-one-half' })}
${inputField({ name: 'post', label: 'Or post id', value: q.post, width: 'govuk-!-width-one-half' })}
<div class="govuk-button-group"><button type="submit" class="govuk-button">Make the bundle (web page)</button>
<button type="submit" class="govuk-button govuk-button--secondary" formaction="/audit/evidence.json">Download as JSON</button></div>
</form>`,
  })
}

export function evidenceRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  const handler = async (c: Context<WebEnv>, json: boolean) => {
    const user = currentUser(c)
    const q = c.req.query()
    const raw = { comment: q.comment, account: q.account, author: q.author, post: q.post }
    const given = Object.values(raw).some((v) => v !== undefined && v !== '')
    if (!given) return c.html(evidenceForm(c, deps, null))
    const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v))
    if (!EvidenceScopeSchema.safeParse(cleaned).success) {
      return c.html(
        evidenceForm(
          c,
          deps,
          'Give a comment reference, or choose an account and give an author id or a post id (not both).',
        ),
        400,
      )
    }
    const scope = parseEvidenceScope(raw)
    const access = scopeFor(user)
    let bundle: Awaited<ReturnType<typeof buildEvidence>>
    try {
      bundle = await buildEvidence(deps.db, scope, {
        generatedBy: `web:${user.username}`,
        now: nowOf(deps),
        allowAccount: (id) => canSeeAccount(access, id),
      })
    } catch (err) {
      if (!isAppError(err) || err.code !== 'message_invalid') throw err
      return c.html(
        evidenceForm(c, deps, 'Nothing that you may see matches that. Check the reference.'),
        404,
      )
    }
    const name = `wardguard-evidence-${bundle.bundleSha256.slice(0, 12)}`
    if (json) {
      c.header('content-disposition', `attachment; filename="${name}.json"`)
      return c.json(bundle)
    }
    return c.html(await renderEvidenceHtml(bundle))
  }
  app.get('/audit/evidence', requireUser('admin', 'auditor'), (c) => handler(c, false))
  app.get('/audit/evidence.json', requireUser('admin', 'auditor'), (c) => handler(c, true))
  return app
}
