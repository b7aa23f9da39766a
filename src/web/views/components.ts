/** Small GOV.UK Frontend pieces shared by the views. */
import { html, raw } from 'hono/html'
import type { Html } from '../layout.js'

export function selectField(opts: {
  name: string
  label: string
  value: string | undefined
  options: [string, string][]
  anyLabel?: string
}): Html {
  const id = `f-${opts.name}`
  return html`<div class="govuk-form-group"><label class="govuk-label govuk-label--s" for="${id}">${opts.label}</label>
<select class="govuk-select" id="${id}" name="${opts.name}"><option value="">${opts.anyLabel ?? 'Any'}</option>${opts.options.map(
    ([v, text]) =>
      html`<option value="${v}"${v === opts.value ? raw(' selected') : ''}>${text}</option>`,
  )}</select></div>`
}

export function inputField(opts: {
  name: string
  label: string
  value: string | undefined
  type?: string
  hint?: string
  width?: string
}): Html {
  const id = `f-${opts.name}`
  return html`<div class="govuk-form-group"><label class="govuk-label govuk-label--s" for="${id}">${opts.label}</label>
${opts.hint ? html`<div class="govuk-hint" id="${id}-hint">${opts.hint}</div>` : ''}
<input class="govuk-input ${opts.width ?? ''}" id="${id}" name="${opts.name}" type="${opts.type ?? 'text'}" value="${opts.value ?? ''}"${opts.hint ? raw(` aria-describedby="${id}-hint"`) : ''}></div>`
}

/**
 * A column heading that sorts, as MOJ's sortable table marks it (aria-sort), but as a link the
 * server answers: no script runs on these pages.
 */
export function sortHeader(opts: {
  label: string
  key: string
  current: string
  desc: boolean
  href: (key: string, desc: boolean) => string
  numeric?: boolean
}): Html {
  const active = opts.current === opts.key
  const sort = active ? (opts.desc ? 'descending' : 'ascending') : 'none'
  const nextDesc = active ? !opts.desc : false
  return html`<th scope="col" class="govuk-table__header${opts.numeric ? ' govuk-table__header--numeric' : ''}" aria-sort="${sort}"><a class="wg-sort govuk-link" href="${opts.href(opts.key, nextDesc)}">${opts.label}</a></th>`
}

/** A table that scrolls sideways inside its own box on a narrow screen. */
export function tableWrap(caption: string, table: Html): Html {
  return html`<div class="wg-table-scroll" role="region" aria-label="${caption}" tabindex="0">${table}</div>`
}

export function successBanner(heading: string, detail?: Html | string): Html {
  return html`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="banner-title">
<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="banner-title">Done</h2></div>
<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">${heading}</p>${detail ? html`<p class="govuk-body">${detail}</p>` : ''}</div></div>`
}

export function importantBanner(heading: string, detail?: Html | string): Html {
  return html`<div class="govuk-notification-banner" role="region" aria-labelledby="banner-title">
<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="banner-title">Important</h2></div>
<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">${heading}</p>${detail ? html`<p class="govuk-body">${detail}</p>` : ''}</div></div>`
}

export function errorSummary(problems: string[]): Html {
  if (problems.length === 0) return html``
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">
<h2 class="govuk-error-summary__title">There is a problem</h2>
<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">${problems.map((p) => html`<li>${p}</li>`)}</ul></div></div></div>`
}
