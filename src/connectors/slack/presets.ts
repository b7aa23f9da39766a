/**
 * Preset reasons for the explanation form: the policy's reasons in a moderator's words, so a
 * decision on a phone is two taps (the reason, then the button). Free text can add to one or
 * replace it. @NOTE Slack option labels are at most 75 characters; the value is the key, and
 * the full sentence kept in the audit log (and posted to the author when the account says so)
 * is looked up here, so a forged value can only ever pick one of these sentences.
 */
import type { ReviewItem, Verdict } from './types.js'

type Preset = { label: string; text: string }

const TAKE_DOWN: Record<string, Preset> = {
  threat: {
    label: 'Threat of violence or harm',
    text: 'It threatens violence or harm, which the council’s comment policy does not allow.',
  },
  hate: {
    label: 'Abuse of a protected characteristic',
    text: 'It abuses people for who they are (a characteristic protected by the Equality Act 2010).',
  },
  harassment: {
    label: 'Personal abuse aimed at a person',
    text: 'It is personal abuse aimed at a person, not comment on what they do.',
  },
  profanity: {
    label: 'Obscene or abusive language',
    text: 'It uses obscene or abusive language.',
  },
  defamation: {
    label: 'Unproven allegation stated as fact',
    text: 'It states an unproven allegation of wrongdoing against a named person as fact.',
  },
  personal_data: {
    label: "Someone's private details",
    text: 'It publishes someone’s private details.',
  },
  sub_judice: {
    label: 'Could prejudice a court case',
    text: 'It could prejudice a court case that is under way.',
  },
  spam: { label: 'Spam or a scam', text: 'It is spam, a scam or repeated advertising.' },
  safeguarding: {
    label: 'Someone may be at risk',
    text: 'It suggests someone may be at risk; it has been passed to the safety contact.',
  },
  repeat: {
    label: 'Repeated breaches by the same author',
    text: 'The author has repeatedly broken the comment policy.',
  },
}

const PUT_BACK: Record<string, Preset> = {
  criticism: {
    label: 'Political criticism, which the policy protects',
    text: 'It is criticism of the council or a councillor, which the comment policy protects.',
  },
  mistake: {
    label: 'Flagged by mistake: not aimed at anyone',
    text: 'It was flagged by mistake: the words are not aimed at anyone.',
  },
  fair: {
    label: 'Fair comment on a public matter',
    text: 'It is fair comment on a matter of public interest.',
  },
}

function table(verdict: Verdict): Record<string, Preset> {
  return verdict === 'keep' ? PUT_BACK : TAKE_DOWN
}

/** The presets for this decision, the item's own categories first. */
export function presetsFor(
  verdict: Verdict,
  item: Pick<ReviewItem, 'categories'>,
): { value: string; label: string }[] {
  const t = table(verdict)
  const keys = Object.keys(t)
  const first = verdict === 'keep' ? [] : item.categories.filter((c) => c in t)
  const ordered = [...new Set([...first, ...keys])]
  return ordered.map((k) => ({ value: k, label: (t[k] as Preset).label }))
}

/** The sentence for a chosen preset, or null for an unknown value. */
export function presetText(verdict: Verdict, value: string | null | undefined): string | null {
  if (!value) return null
  const t = table(verdict)
  return Object.hasOwn(t, value) ? (t[value] as Preset).text : null
}
