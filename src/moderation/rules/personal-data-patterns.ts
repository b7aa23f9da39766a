/**
 * Patterns for UK personal data in the original text. Each returns spans; whether a span is
 * someone's private data is decided in personal-data.ts from the words around it.
 */
export type Found = { start: number; end: number; kind: string }

// @NOTE +44 7700 900123, 07700 900123, (07700) 900 123, 0044 7700-900-123, 0306 999 0123
const PHONE =
  /(?<![\w+(£$.])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)(?:[\s.()-]{0,2}\d){9,10}(?![\d])/g

export function findPhones(text: string): Found[] {
  const out: Found[] = []
  if (!/\d{3}/.test(text)) return out
  for (const m of text.matchAll(PHONE)) {
    let d = m[0].replace(/\D/g, '')
    if (d.startsWith('0044')) d = d.slice(4)
    else if (d.startsWith('44') && /^\s*\+|^00/.test(m[0])) d = d.slice(2)
    if (!d.startsWith('0')) d = `0${d}`
    const kind = /^07\d{9}$/.test(d)
      ? 'mobile'
      : /^0[12]\d{8,9}$/.test(d)
        ? 'landline'
        : /^0[389]\d{8,9}$/.test(d)
          ? 'organisation'
          : null
    if (kind) out.push({ start: m.index, end: m.index + m[0].length, kind })
  }
  return out
}

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g
// @NOTE published, official addresses are not personal data: a councillor's council email,
// a council's enquiries inbox
const OFFICIAL_DOMAIN =
  /(?:^|\.)(?:gov\.uk|gov|nhs\.uk|nhs\.net|police\.uk|parliament\.uk|sch\.uk|ac\.uk|mod\.uk)$/i
const ROLE_MAILBOX =
  /^(?:info|enquiries|enquiry|contact|admin|hello|office|complaints|customer[._-]?services|press|media|comms|democratic[._-]?services|mayor|clerk|planning|cllr[._-]|councillor[._-])/i

export function findEmails(text: string): Found[] {
  const out: Found[] = []
  if (!text.includes('@')) return out
  for (const m of text.matchAll(EMAIL)) {
    const [local = '', domain = ''] = m[0].split('@')
    const kind = OFFICIAL_DOMAIN.test(domain) || ROLE_MAILBOX.test(local) ? 'official' : 'private'
    out.push({ start: m.index, end: m.index + m[0].length, kind })
  }
  return out
}

const PLATE = /\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b/g
const PLATE_WITH_REG =
  /\breg(?:istration)?(?:\s+(?:number|no\.?|plate))?[\s:.-]+([a-z]{2}\d{2}\s?[a-z]{3}|[a-z]\d{1,3}\s?[a-z]{3})\b/gi

export function findPlates(text: string): Found[] {
  const out: Found[] = []
  if (!/\d\d/.test(text)) return out
  for (const m of text.matchAll(PLATE)) {
    out.push({ start: m.index, end: m.index + m[0].length, kind: 'plate' })
  }
  for (const m of text.matchAll(PLATE_WITH_REG)) {
    const start = m.index + m[0].length - m[1]!.length
    if (!out.some((f) => f.start === start))
      out.push({ start, end: start + m[1]!.length, kind: 'plate' })
  }
  return out
}

const NI = /\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b/g

export function findNiNumbers(text: string): Found[] {
  if (!/\d\d/.test(text)) return []
  return [...text.matchAll(NI)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    kind: 'ni',
  }))
}

const SUFFIX =
  'Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Cres|Court|Ct|Place|Pl|Gardens|Gdns|Grove|Terrace|Walk|Row|Rise|Mews|Square|Sq|Hill|Park|Green|View|Parade|Side|Paddocks|Fields|Croft|Vale|Chase|Mount|Meadows?|Gate|Wharf|Yard|Bank|Brow|Wynd|Lea|Hollow|Heights|Grange|Orchard|Circus|Broadway|Boulevard|Embankment'
const ADDRESS = new RegExp(
  `\\b(?:(?:[Ff]lat|[Aa]partment|[Uu]nit)\\s+\\d+[a-zA-Z]?,?\\s+)?\\d{1,4}[a-zA-Z]?,?\\s+(?:[Tt]he\\s+)?(?:[A-Z][a-z']+[\\s-]+){0,2}(?:${SUFFIX})\\b`,
  'g',
)
const POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b/g

export function findAddresses(text: string): Found[] {
  const out: Found[] = []
  if (!/\d/.test(text)) return out
  for (const m of text.matchAll(ADDRESS)) {
    out.push({ start: m.index, end: m.index + m[0].length, kind: 'address' })
  }
  for (const m of text.matchAll(POSTCODE)) {
    // @NOTE a postcode alone points at a street; with a house number before it, at a home
    const before = text.slice(Math.max(0, m.index - 60), m.index)
    if (
      /\b\d{1,4}[a-zA-Z]?\b[^\d]*$/.test(before) &&
      !out.some((f) => m.index <= f.end + 60 && m.index >= f.start)
    ) {
      const house = before.search(/\b\d{1,4}[a-zA-Z]?\b[^\d]*$/)
      out.push({
        start: m.index - before.length + house,
        end: m.index + m[0].length,
        kind: 'address',
      })
    }
  }
  return out
}

const SCHOOL =
  /\b(?:St\.?\s)?[A-Z][a-z']+(?:\s[A-Z][a-z']+){0,2}\s(?:Primary|Academy|School|High School|College|Infants|Juniors|Nursery|Grammar)(?:\sSchool)?\b/g

const SCHOOL_WORD = /Primary|Academy|School|College|Infants|Juniors|Nursery|Grammar/

export function findSchools(text: string): Found[] {
  if (!SCHOOL_WORD.test(text)) return []
  return [...text.matchAll(SCHOOL)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    kind: 'school',
  }))
}
