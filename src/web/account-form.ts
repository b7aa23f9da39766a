/**
 * The settings a person gives an account in the web app (id, name, owner, review channel,
 * moderators), as form fields and back. Checked with the YAML AccountSchema, so a mistake is
 * named the way `wardguard config check` names it, next to the field it is about.
 */
import { html } from 'hono/html'
import type { Onboarding } from '../accounts/onboarding.js'
import { type AccountSettings, refuseTakenId, validAccount } from '../accounts/onboarding.js'
import { AccountSchema } from '../config/accounts.js'
import { isAppError } from '../errors.js'
import type { Html } from './layout.js'

/** The form's values as typed, so a form shown again after a mistake loses nothing. */
export type SettingsValues = {
  id: string
  name: string
  ownerName: string
  ownerEmail: string
  channel: string
  moderators: string
  reply: boolean
}

/** field path (as AccountSchema names it) → the problem */
export type FieldErrors = Record<string, string>

const LABELS: Record<string, string> = {
  id: 'Id',
  name: 'Name',
  'owner.name': 'Owner’s name',
  'owner.email': 'Owner’s email',
  'review.channel': 'Review channel',
  'review.moderators': 'Moderators',
}

export const emptySettings = (v: Partial<SettingsValues> = {}): SettingsValues => ({
  id: '',
  name: '',
  ownerName: '',
  ownerEmail: '',
  channel: '',
  moderators: '',
  reply: false,
  ...v,
})

export function valuesOf(a: AccountSettings): SettingsValues {
  return {
    id: a.id,
    name: a.name,
    ownerName: a.owner.name,
    ownerEmail: a.owner.email ?? '',
    channel: a.review.channel,
    moderators: a.review.moderators.join(', '),
    reply: a.review.replyWithExplanation ?? false,
  }
}

/** Reads the fields named `<prefix>id`, `<prefix>owner`, ... from a parsed form body. */
export function readSettings(body: Record<string, unknown>, prefix = ''): SettingsValues {
  const s = (k: string) => {
    const v = body[`${prefix}${k}`]
    return typeof v === 'string' ? v.trim().slice(0, 500) : ''
  }
  return {
    id: s('id'),
    name: s('name'),
    ownerName: s('owner'),
    ownerEmail: s('email'),
    channel: s('channel'),
    moderators: s('moderators'),
    reply: s('reply') === 'on',
  }
}

export function settingsOf(v: SettingsValues): AccountSettings {
  return {
    id: v.id,
    name: v.name,
    owner: { name: v.ownerName, ...(v.ownerEmail ? { email: v.ownerEmail } : {}) },
    review: {
      channel: v.channel,
      moderators: v.moderators.split(/[\s,]+/).filter(Boolean),
      replyWithExplanation: v.reply,
    },
  }
}

/**
 * Checks new settings as the account they would make (platform fields included), then that the
 * id is free. Returns the problems by field; empty when the account can be connected.
 */
export async function checkNewAccount(ob: Onboarding, candidate: unknown): Promise<FieldErrors> {
  const parsed = AccountSchema.safeParse(candidate)
  if (!parsed.success) return fieldErrors(parsed.error.issues)
  try {
    validAccount(parsed.data, ob)
    await refuseTakenId(ob, parsed.data.id)
  } catch (err) {
    if (isAppError(err) && err.code === 'message_invalid') return { id: err.message }
    throw err
  }
  return {}
}

export function fieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of issues) {
    // moderators.2 → moderators: the field is one text box
    const path = issue.path
      .filter((k) => typeof k !== 'number')
      .map(String)
      .join('.')
    out[path] ??= issue.message
  }
  return out
}

/** "Review channel (review.channel): must be a Slack channel id such as C0123ABCD" */
export function describeErrors(errors: FieldErrors): string[] {
  return Object.entries(errors).map(([path, message]) =>
    LABELS[path] ? `${LABELS[path]} (${path}): ${message}` : `${path || 'settings'}: ${message}`,
  )
}

/** The settings fields; `prefix` keeps several accounts' fields apart in one form. */
export function settingsFields(
  v: SettingsValues,
  errors: FieldErrors,
  opts: { prefix?: string; withId?: boolean } = {},
): Html {
  const p = opts.prefix ?? ''
  const err = (path: string) =>
    errors[path] ? html`<span class="error">${LABELS[path]}: ${errors[path]}</span>` : ''
  return html`<div class="settings">
${
  opts.withId === false
    ? ''
    : html`<label>Id (lower-case letters, digits and hyphens; used in the audit trail, cannot change later)<input name="${p}id" value="${v.id}" required pattern="[a-z0-9][a-z0-9-]*">${err('id')}</label>`
}
<label>Name<input name="${p}name" value="${v.name}" required>${err('name')}</label>
<label>Owner’s name (the councillor)<input name="${p}owner" value="${v.ownerName}" required>${err('owner.name')}</label>
<label>Owner’s email (optional)<input name="${p}email" type="email" value="${v.ownerEmail}">${err('owner.email')}</label>
<label>Review channel id (Slack, e.g. C0123ABCD)<input name="${p}channel" value="${v.channel}" required>${err('review.channel')}</label>
<label>Moderators (Slack user ids, comma-separated, e.g. U0123ABCD, U0456EFGH)<input name="${p}moderators" value="${v.moderators}" required>${err('review.moderators')}</label>
<label class="inline"><span><input type="checkbox" name="${p}reply" ${v.reply ? 'checked' : ''}> Reply to the author with the moderator’s explanation</span></label>
</div>`
}

/** An id suggestion from a Page name or X handle: "Cllr Priya Patel" → "cllr-priya-patel". */
export function suggestId(name: string, fallback: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return slug || fallback
}
