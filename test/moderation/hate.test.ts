import { describe, expect, it } from 'vitest'
import { check, expectMostly } from './helpers.js'

const HOSTILE: [string, string][] = [
  ['a group called vermin', 'Refugees are vermin and always will be'],
  ['a group called a disease', 'Islam is a disease on this town'],
  ['a group called criminals', 'Romanians are all thieves'],
  ['an adjective and a slander', 'Bulgarian scroungers queueing for council flats'],
  ['a group denied the vote', 'Disabled people should have their vote taken off them'],
  ['a group kept out of office', 'Muslims should not be allowed to sit on the council'],
  ['a group kept from children', 'Keep gay people away from our schools'],
  ['"go back to where you came from"', 'Go back to where you came from, this is our town'],
  ['"go back to" a country', 'He should go back to Nigeria'],
  ['a call to deport a group', 'Deport all the Somalis tomorrow'],
  [
    'a death wish on a group',
    'Leave them to drown out there, the migrants in those boats are no loss to anyone',
  ],
  ['hatred of a group', 'I really hate Jews'],
  ['violence against a group', 'Trans women should be shot'],
  ['a group said not to be people', "Women aren't people"],
  ['"they" after naming a group', "Another hotel full of asylum seekers. They're animals."],
]

const NOT_HATE: [string, string][] = [
  ['negation', "I don't think immigrants are criminals"],
  ['a denial after the claim', 'Saying asylum seekers are criminals is a lie'],
  [
    'counter-speech quoting a slur',
    "A lad called my brother a 'spastic' on the bus. That word is vile, stop using it.",
  ],
  [
    'counter-speech quoting a slogan',
    'Someone painted "Muslims out" on the underpass. Disgusting, this is not who we are.',
  ],
  [
    'a report of abuse received',
    'A man shouted "go back to Poland" at my mum in the market. Shame on him.',
  ],
  [
    'positive identity terms',
    'Great to see so many Muslim and Jewish families at the interfaith picnic',
  ],
  [
    'neutral identity terms',
    'As a gay man and a disabled resident I want step-free access at the station',
  ],
  ['a UK place in "go back to"', 'Go back to Leeds, you carpetbagger'],
  [
    'Gypsy as an identity',
    'A Romany Gypsy storyteller is visiting the library on Thursday, all welcome',
  ],
]

// the shares the committed model reached (see expectMostly)
const FLOOR_HOSTILE = 0.85
const FLOOR_NOT_HATE = 0.55

describe('hate', () => {
  it.each([
    ['a racial slur', 'Too many p4kis on this estate now'],
    ['a religious slur', 'muzzies running the mosque committee again'],
    ['a homophobic slur', 'no poofters on the parish council please'],
    ['a transphobic slur', 'why is a trannie in charge of libraries'],
    ['a disability slur', 'only a spaz would design this junction'],
    ['a slur about Travellers', 'pikeys camped on the rec again'],
  ])('hides %s', (_what, text) => {
    const d = check(text)
    expect(d.action).toBe('hide')
    expect(d.categories).toContain('hate')
  })

  it('leaves up almost no hostility without a slur', () => {
    expectMostly(
      HOSTILE.map(([, t]) => t),
      (d) => d.action !== 'allow',
      0.93,
    )
  })

  it('hides most hostility without a slur as hate (the rest go to a person first)', () => {
    expectMostly(
      HOSTILE.map(([, t]) => t),
      (d) => d.action === 'hide' && d.categories.includes('hate'),
      FLOOR_HOSTILE,
    )
  })

  it.each(NOT_HATE)('never hides %s', (_what, text) => {
    expect(check(text).action).not.toBe('hide')
  })

  it('does not call most negation, counter-speech and identity mentions hate', () => {
    expectMostly(
      NOT_HATE.map(([, t]) => t),
      (d) => !d.categories.includes('hate'),
      FLOOR_NOT_HATE,
    )
  })

  it('sends a "go back to" jibe about a UK city to review as harassment', () => {
    const d = check('Go back to Leeds, you carpetbagger')
    expect(d.action).toBe('review')
    expect(d.categories).toContain('harassment')
    expect(d.reasons[0]?.rule).toBe('harassment.go_back_uk')
  })

  it('explains which characteristic a slur attacks', () => {
    const d = check('only a spaz would design this junction')
    expect(d.reasons[0]?.explanation).toMatch(/disability/)
  })
})
