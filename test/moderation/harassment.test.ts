import { describe, expect, it } from 'vitest'
import { check, expectMostly } from './helpers.js'

const INSULTS: [string, string][] = [
  ['a one-word insult', 'Moron.'],
  ['an insult with adjectives', "You're a thick, spiteful little man"],
  ['an insult after a criticism word', 'You are a thick, useless idiot'],
  ['an appearance insult', 'Ugly cow, no wonder nobody votes for you'],
  ['an age jibe', 'Time you were put out to pasture, grandad'],
  ['a sexist jibe', 'Get back in the kitchen, love'],
  ['a party slur', 'Lefty scum, all of you'],
  ['family dragged in', 'Your husband must be ashamed of you'],
  ['a campaign', "This is my fortieth message. I will not stop. I know you're reading these."],
  ['repeated tagging', '@CllrAmy @CllrAmy @CllrAmy answer me'],
  ['telling someone to vanish', 'Do us all a favour and disappear'],
]

describe('harassment', () => {
  it('sends most personal insults to review', () => {
    expectMostly(
      INSULTS.map(([, t]) => t),
      (d) => d.action === 'review' && d.categories.includes('harassment'),
      0.7,
    )
  })

  it.each([
    'Cllr Patel is useless and should resign',
    'You lied to my face about the library, and then voted to close it. Hypocrite.',
    'Spineless. You abstained when it mattered.',
    'Coward. You left before the questions.',
    'Pathetic. Another year, another rise in council tax.',
    'Do us all a favour and step down',
    'The cabinet are a disgrace',
  ])('allows harsh political criticism: %s', (text) => {
    expect(check(text).action).toBe('allow')
  })

  // @NOTE "everyone … knows it" is also how insinuations are worded: since the fourth and fifth
  // writing rounds the model gives this one a borderline (about 54 %) allegation call, so a
  // person may be asked. What must never happen to criticism is an automatic hide.
  it('never hides criticism worded like an insinuation, and says why when it asks a person', () => {
    const d = check('Your leadership is a joke and everyone in the borough knows it')
    expect(d.action).not.toBe('hide')
    for (const r of d.reasons) expect(r.explanation).toMatch(/\d+% sure/)
  })

  it("hides a harasser's borderline comment pending review and suggests a ban when strikes pile up", () => {
    const d = check('Moron.', { strikes: 6 })
    expect(d.action).toBe('hide')
    expect(d.reviewRequired).toBe(true)
    expect(d.suggestBan).toBe(true)
    expect(d.modes).toContain('repeat_offender')
  })

  it('counts a personal insult as a strike', () => {
    expect(check('Moron.').strike).toBe(true)
  })
})
