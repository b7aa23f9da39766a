import type { Analysed } from '../normalise.js'
import { bare } from './negation.js'

/**
 * Who a comment is about: a group the Equality Act 2010 protects, or a political target (a
 * councillor, the council, a party). @NOTE used to contest the model, never to flag: a hate
 * call with no protected group in sight, or an insult aimed at a politician, is a judgement
 * for a person, not an automatic hide.
 */

const GROUP_WORDS = new Set(
  `
immigrant immigrants migrant migrants refugee refugees asylum foreigner foreigners illegals
black blacks brown white whites asian asians african africans caribbean chinese japanese
indian indians pakistani pakistanis bangladeshi bangladeshis arab arabs somali somalis
polish poles romanian romanians bulgarian eastern european europeans albanian albanians
irish scots welsh english jew jews jewish muslim muslims islam islamic sikh sikhs hindu hindus
christian christians catholic catholics mosque mosques synagogue gurdwara temple church
gypsy gypsies gipsy gipsies traveller travellers roma pikey
women woman girls female females feminist feminists mothers mums mum pregnant pregnancy
maternity wives wife husbands widows
gay gays lesbian lesbians bisexual bi homosexual homosexuals queer lgbt lgbtq lgbtqia pride
trans transgender transgenders tranny trannies nonbinary
disabled disability disabilities wheelchair autistic autism deaf blind downs learning
mentally schizophrenic
elderly pensioners pensioner boomers old oaps young youngsters teenagers
ethnic ethnics minorities minority race racial foreign nationality
`
    .split(/\s+/)
    .filter(Boolean),
)

const POLITICAL_WORDS = new Set(
  `
councillor councillors cllr cllrs council councils cabinet leader mayor mp mps minister ministers
government govt tory tories conservative conservatives labour libdem libdems lib dems green
greens reform snp plaid ukip party parties politician politicians officer officers planners
chief executive committee chair chairman chairwoman portfolio holder administration
`
    .split(/\s+/)
    .filter(Boolean),
)

export type Targets = {
  /** tokens that name or describe a protected group */
  groups: number[]
  /** tokens that name a councillor, the council, a party or another political target */
  political: number[]
}

export function targetsOf(a: Analysed): Targets {
  const out: Targets = { groups: [], political: [] }
  a.tokens.forEach((t, i) => {
    const w = bare(t)
    if (GROUP_WORDS.has(w)) out.groups.push(i)
    if (POLITICAL_WORDS.has(w)) out.political.push(i)
  })
  return out
}
