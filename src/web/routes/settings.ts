/** GET/POST /audit/settings: the name shown for your decisions, and (councillors) comment text. */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { canSeeText } from '../access.js'
import { currentUser, requireCsrf, requireUser } from '../auth.js'
import { csrfField, page } from '../layout.js'
import type { WebDeps, WebEnv } from '../types.js'
import { saveUserSettings, type WebUser } from '../users.js'

function settingsPage(user: WebUser, csrf: string, saved: boolean) {
  const councillor = user.role === 'councillor'
  return page({
    title: 'Your settings',
    body: html`${
      saved
        ? html`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="saved-title">
<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="saved-title">Success</h2></div>
<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">Your settings are saved.</p></div></div>`
        : ''
    }
<form method="post" action="/audit/settings">${csrfField(csrf)}
<div class="govuk-form-group"><label class="govuk-label" for="displayName">Your name</label>
<div class="govuk-hint" id="displayName-hint">Shown with your decisions, for example “Removed by Priya Patel”.</div>
<input class="govuk-input govuk-!-width-one-half" id="displayName" name="displayName" maxlength="100" aria-describedby="displayName-hint" value="${user.displayName ?? ''}"></div>
${
  councillor
    ? html`<div class="govuk-form-group"><fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Comment text</legend>
<div class="govuk-checkboxes govuk-checkboxes--small"><div class="govuk-checkboxes__item">
<input class="govuk-checkboxes__input" id="showText" name="showText" type="checkbox" value="yes"${canSeeText(user) ? ' checked' : ''}>
<label class="govuk-label govuk-checkboxes__label" for="showText">Show me the words of comments on my accounts</label></div></div>
</fieldset></div>`
    : html`<p class="govuk-body">As ${user.role === 'admin' ? 'an admin' : 'an auditor'} you always see comment text.</p>`
}
<p class="govuk-body">${user.slackUserId ? html`You decide on review items as moderator <code>${user.slackUserId}</code>.` : 'You are not linked to a moderator id, so you can read but not decide. An admin links you with wardguard users add … --slack-user U….'}</p>
<button class="govuk-button" type="submit">Save settings</button>
</form>`,
  })
}

export function settingsRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
  app.get('/audit/settings', requireUser(), (c) =>
    c.html(
      settingsPage(currentUser(c), c.get('session')?.csrfToken ?? '', c.req.query('saved') === '1'),
    ),
  )
  app.post('/audit/settings', requireUser(), requireCsrf(deps), async (c) => {
    const user = currentUser(c)
    const body = await c.req.parseBody()
    const displayName = String(body.displayName ?? '').slice(0, 100)
    // @NOTE only councillors can turn text off; for the others the box is not shown
    const showText = user.role === 'councillor' ? body.showText === 'yes' : true
    await saveUserSettings(deps.db, user.username, { displayName, showText })
    return c.redirect('/audit/settings?saved=1', 303)
  })
  return app
}
