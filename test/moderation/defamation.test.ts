import { describe, expect, it } from 'vitest'
import { check, expectMostly } from './helpers.js'

const ALLEGATIONS: [string, string][] = [
  ['bribery', 'Cllr Adams took a backhander to wave the plans through'],
  ['fraud', 'Councillor Boyd has been fiddling her expenses for years'],
  ['a crime', 'The mayor was arrested for assault outside the Crown last year'],
  ['a cover-up', 'The director of housing covered up the damp reports'],
  ['an undeclared interest', "Cllr Ellis's brother's firm got the contract without a tender"],
  ['theft', 'The Labour councillor for Abbey ward stole cash from the church hall collection tin'],
]

describe('defamation', () => {
  it('sends most allegations about an identifiable person to review, with no strike', () => {
    expectMostly(
      ALLEGATIONS.map(([, t]) => t),
      (d) => d.action === 'review' && d.categories.includes('defamation') && !d.strike,
      0.83,
    )
  })

  it('marks an allegation of child abuse as urgent', () => {
    const d = check('Cllr Ford is a paedo, keep him away from the youth club')
    expect(d.action).toBe('review')
    expect(d.urgent).toBe(true)
  })

  // @NOTE the labelling guide: "liar" tied to a promise, a vote or a published figure is criticism
  it.each([
    ['Cllr Pryce is a liar, she pledged to keep the Moor Lane baths open', 'allow'],
    ['Cllr Pryce lied about the budget gap to get the cuts through', 'allow'],
    ['Cllr Pryce is a liar, she pocketed the raffle money', 'review'],
    ['Cllr Pryce lied about where the grant money went', 'review'],
  ] as const)(
    'a liar about a record is criticism, about anything else a check: %s',
    (text, want) => {
      expect(check(text).action).toBe(want)
    },
  )

  it.each([
    'This council is corrupt from top to bottom',
    "Cllr Grant voted to scrap the holiday hunger scheme. Don't let anyone forget it at the polls.",
    'You lied to me at the hustings about the incinerator and then backed it in the chamber',
    'The Gazette reports police have charged a Radford woman with arson over the scout hut fire. She is expected at Nottingham Crown Court in the spring.',
  ])('allows criticism and neutral reports: %s', (text) => {
    expect(check(text).action).toBe('allow')
  })
})
