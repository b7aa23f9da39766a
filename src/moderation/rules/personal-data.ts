import type { Ctx } from '../context.js'
import type { Hit } from '../types.js'
import {
  type Found,
  findAddresses,
  findEmails,
  findNiNumbers,
  findPhones,
  findPlates,
  findSchools,
} from './personal-data-patterns.js'
import { runPhraseFile } from './run-phrases.js'

const CHILD =
  /\b(?:his|her|their|your)\s+(?:kids|children|child|son|daughter|lad|boy|girl|grandson|granddaughter)\b/i
const AGE = /(?:,\s*|\baged\s+)(?:[4-9]|1[0-7])\b|\b(?:[4-9]|1[0-7])[-\s]year[-\s]old\b/i

/**
 * Other people's personal data: phone numbers, emails, home addresses (house number + street,
 * or a postcode with a house number), vehicle plates, NI numbers, children's names with
 * schools. A published organisational number or email, a house number used as a landmark and
 * the writer's own number are treated differently (allowed, allowed, review).
 */
export function personalDataRules(ctx: Ctx, isSpam: boolean): void {
  const { a } = ctx
  const text = a.text
  const phones = findPhones(text)
  const emails = findEmails(text)
  if (!isSpam) {
    for (const p of phones) {
      if (p.kind === 'organisation' || near(ctx, p.start, 'org_contact')) continue
      if (near(ctx, p.start, 'own_contact')) {
        push(
          ctx,
          'personal_data.own_number',
          'borderline',
          p.start,
          p.end,
          "The writer's own phone number: consider hiding it for them",
        )
      } else {
        push(ctx, 'personal_data.phone', 'clear', p.start, p.end, "Someone's phone number")
      }
    }
  }
  for (const e of emails) {
    if (e.kind === 'private')
      push(ctx, 'personal_data.email', 'clear', e.start, e.end, "Someone's private email address")
  }
  for (const p of findPlates(text))
    push(ctx, 'personal_data.vehicle', 'clear', p.start, p.end, 'A vehicle registration')
  for (const n of findNiNumbers(text))
    push(ctx, 'personal_data.ni_number', 'clear', n.start, n.end, 'A National Insurance number')
  for (const addr of findAddresses(text)) {
    if (near(ctx, addr.start, 'landmark', 2)) continue
    // @NOTE a street address with nobody tied to it is a venue or a landmark, not personal data
    if (tiedToPerson(ctx, phones, emails))
      push(ctx, 'personal_data.address', 'clear', addr.start, addr.end, 'A home address')
  }
  for (const school of findSchools(text)) {
    const sentence = sentenceAround(text, school.start)
    if (CHILD.test(sentence) || (ctx.hasPerson() && AGE.test(sentence))) {
      push(
        ctx,
        'personal_data.child_school',
        'clear',
        school.start,
        school.end,
        "A child's school, with details that identify them",
      )
    }
  }
  runPhraseFile(ctx, 'personal-data')
}

function push(
  ctx: Ctx,
  rule: string,
  severity: Hit['severity'],
  start: number,
  end: number,
  explanation: string,
) {
  ctx.hits.push({ rule, category: 'personal_data', severity, start, end, explanation })
}

function tiedToPerson(ctx: Ctx, phones: Found[], emails: Found[]): boolean {
  return (
    phones.length > 0 ||
    emails.some((e) => e.kind === 'private') ||
    ctx.hasPerson() ||
    ctx.hasSet('resident')
  )
}

/** Does a phrase of `set` come within `words` words before this offset, in the same sentence? */
function near(ctx: Ctx, offset: number, set: string, words = 6): boolean {
  const { a } = ctx
  let k = 0
  while (k < a.words.length && (a.wordToken[k]! < 0 || a.tokens[a.wordToken[k]!]!.start < offset))
    k++
  let lo = k
  while (lo > 0 && a.words[lo - 1] !== '.' && k - lo < words) lo--
  return lo < k && ctx.engine.setIndex(set).any(a, lo, k)
}

function sentenceAround(text: string, offset: number): string {
  const start = Math.max(0, text.lastIndexOf('.', offset - 1) + 1)
  const end = text.indexOf('.', offset)
  return text.slice(start, end < 0 ? text.length : end)
}
