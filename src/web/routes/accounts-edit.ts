/**
 * Editing and removing an account connected from the web app or the CLI (admins). YAML accounts
 * are changed in the YAML file; these pages say so.
 */
import { type Context, Hono } from 'hono'
import { html } from 'hono/html'
import { listConnectedAccounts } from '../../accounts/account-store.js'
import { removeAccount } from '../../accounts/remove-account.js'
import { updateAccount } from '../../accounts/update-account.js'
import { countAccountEvents } from '../../audit/index.js'
import { type Account, AccountSchema } from '../../config/accounts.js'
import {
  describeErrors,
  type FieldErrors,
  fieldErrors,
  readSettings,
  type SettingsValues,
  settingsFields,
  settingsOf,
  valuesOf,
} from '../account-form.js'
import { actorOf, flowPage, needOnboarding, problemOf } from '../accounts-web.js'
import { currentUser, requireCsrf, requireUser } from '../auth.js'
import { csrfField, page } from '../layout.js'
import type { WebDeps, WebEnv } from '../types.js'

export function accountEditRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  const admin = requireUser('admin')

  app.get('/audit/accounts/:id/edit', admin, async (c) => {
    const account = await connectedOr404(c, deps)
    if (account instanceof Response) return account
    return editForm(c, account, valuesOf(account), {})
  })

  app.post('/audit/accounts/:id/edit', admin, requireCsrf(deps), async (c) => {
    const w = needOnboarding(deps)
    const account = await connectedOr404(c, deps)
    if (account instanceof Response) return account
    const values = { ...readSettings(await c.req.parseBody()), id: account.id }
    const settings = settingsOf(values)
    const candidate = AccountSchema.safeParse({
      ...account,
      name: settings.name,
      owner: settings.owner,
      review: { ...account.review, ...settings.review },
    })
    if (!candidate.success)
      return editForm(c, account, values, fieldErrors(candidate.error.issues), 400)
    try {
      await updateAccount(w.ob, {
        accountId: account.id,
        changes: { name: settings.name, owner: settings.owner, review: settings.review },
        by: actorOf(currentUser(c)),
      })
    } catch (err) {
      return editForm(c, account, values, { name: problemOf(err).message }, 400)
    }
    return c.redirect(`/audit/accounts?updated=${account.id}`, 303)
  })

  app.get('/audit/accounts/:id/remove', admin, async (c) => {
    const account = await connectedOr404(c, deps)
    if (account instanceof Response) return account
    return removeForm(c, account, '')
  })

  app.post('/audit/accounts/:id/remove', admin, requireCsrf(deps), async (c) => {
    const w = needOnboarding(deps)
    const account = await connectedOr404(c, deps)
    if (account instanceof Response) return account
    const body = await c.req.parseBody()
    const reason = String(body.reason ?? '')
      .trim()
      .slice(0, 1000)
    if (!reason) {
      return removeForm(
        c,
        account,
        'Reason: say why the account is removed (it is kept in the audit trail).',
        400,
      )
    }
    let result: Awaited<ReturnType<typeof removeAccount>>
    try {
      result = await removeAccount(w.ob, {
        accountId: account.id,
        by: actorOf(currentUser(c)),
        reason,
      })
    } catch (err) {
      return removeForm(c, account, problemOf(err).message, 400)
    }
    const kept = await countHistory(deps, account.id)
    const platform = account.platform === 'facebook' ? 'Facebook' : 'X'
    const told = result.platformNotified
      ? account.platform === 'facebook'
        ? 'Facebook was told: Wardguard’s webhook subscription on the Page was removed.'
        : 'X was told: Wardguard’s tokens for the account were revoked.'
      : `${platform} could not be told (${result.platformProblem ?? 'no reason given'}). Remove Wardguard from the account’s settings on ${platform} by hand.`
    return flowPage(c, {
      title: 'Account removed',
      message: `${account.name} (${account.id}) is no longer watched, and its ${result.tokensDeleted} stored token${result.tokensDeleted === 1 ? ' was' : 's were'} deleted.`,
      extra: html`<p id="platform-told">${told}</p>
<p id="history-kept">Its audit history is kept: ${kept} event${kept === 1 ? '' : 's'} about it stay in the audit trail (see <a href="/audit/decisions">Decisions</a>).</p>`,
    })
  })
  return app
}

/** The connected account named in the path, or the page that says why it cannot be changed here. */
async function connectedOr404(c: Context<WebEnv>, deps: WebDeps): Promise<Account | Response> {
  const w = needOnboarding(deps)
  const id = c.req.param('id') ?? ''
  if (w.ob.yamlAccounts.some((a) => a.id === id)) {
    return flowPage(c, {
      title: 'Managed in YAML',
      status: 409,
      message: `${id} is managed in the YAML file: change or remove it there, then restart Wardguard.`,
    })
  }
  const account = (await listConnectedAccounts(w.ob.db)).find((a) => a.id === id)
  if (account) return account
  return c.html(
    page({
      title: 'No such account',
      user: currentUser(c),
      csrfToken: c.get('session')?.csrfToken,
      body: html`<p>No connected account ${id}.</p><p><a href="/audit/accounts">Back to Accounts</a></p>`,
    }),
    404,
  )
}

function editForm(
  c: Context<WebEnv>,
  account: Account,
  values: SettingsValues,
  errors: FieldErrors,
  status: 200 | 400 = 200,
) {
  const csrf = c.get('session')?.csrfToken ?? ''
  const body = html`${
    Object.keys(errors).length > 0
      ? html`<div class="error" role="alert"><p>Nothing was saved:</p><ul>${describeErrors(errors).map((e) => html`<li>${e}</li>`)}</ul></div>`
      : ''
  }
<p>Id <code>${account.id}</code> (cannot change: the audit trail is keyed on it).</p>
<form method="post" action="/audit/accounts/${account.id}/edit" class="stack">${csrfField(csrf)}
${settingsFields(values, errors, { withId: false })}
<button>Save</button></form>`
  return c.html(
    page({ title: `Edit ${account.name}`, user: currentUser(c), csrfToken: csrf, body }),
    status,
  )
}

function removeForm(
  c: Context<WebEnv>,
  account: Account,
  problem: string,
  status: 200 | 400 = 200,
) {
  const csrf = c.get('session')?.csrfToken ?? ''
  const platform =
    account.platform === 'facebook'
      ? 'Wardguard unsubscribes from the Page’s comments (webhooks)'
      : 'Wardguard revokes its tokens at X'
  const body = html`${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
<p>Removing <strong>${account.name}</strong> (${account.id}): ${platform}, deletes its stored tokens and stops moderating it.
Its audit history is kept: every decision already recorded stays in the audit trail.</p>
<form method="post" action="/audit/accounts/${account.id}/remove" class="stack">${csrfField(csrf)}
<label>Reason (required; recorded in the audit trail)<textarea name="reason" required maxlength="1000" rows="3"></textarea></label>
<button>Remove ${account.id}</button> <a href="/audit/accounts">Cancel</a></form>`
  return c.html(
    page({ title: `Remove ${account.name}`, user: currentUser(c), csrfToken: csrf, body }),
    status,
  )
}

function countHistory(deps: WebDeps, accountId: string): Promise<number> {
  return countAccountEvents(needOnboarding(deps).ob.db, accountId)
}
