import { describe, expect, it } from 'vitest'
import { check, expectMostly } from './helpers.js'

const EXPLICIT = [
  'I will stab you next time you come to the surgery',
  "I'm going to batter him when I see him at the count",
  'Next warden who tickets me, I will throw him in the river',
  'Somebody ought to shoot Cllr Hart and do the ward a favour',
  'Somebody should torch the council offices',
  'Hang all the councillors. Start with the leader.',
  'Bring petrol to the meeting on Monday',
  "Your car's getting torched tonight",
  'I hope you get stabbed',
  'I hope someone stabs you on the way home',
  'Someone should petrol bomb his house',
  "There'll be bloodshed if the tip closes",
  "I've got a shotgun and I'll use it if you touch my land",
  'go kill yourself',
]

const VEILED = [
  'Watch your back, councillor',
  'Everyone knows where you live, councillor',
  "Lovely front garden, councillor. It'd be awful if something spoiled it.",
  "We've seen your lads walking home from school, councillor",
  'Push this through and you might find yourself taking a swim in the Soar one night',
  'Tick tock, your time is coming',
]

const IDIOMS = [
  "I'd kill for a Sunday service on the number 9 route",
  'Shoot me a DM if you can volunteer at the Christmas fayre',
  'Absolute bloodbath for the Lib Dems at the by-election',
  'The refurbished lido is the bomb, well done council',
  'This parking charge is killing the high street',
  'Slow down on Church Lane before someone gets killed',
  'Your days are numbered, we will vote you out in May',
  'I will shoot you an email with the minutes',
  'No one deserves to die for where they were born',
]

describe('threat', () => {
  it.each(EXPLICIT)('never leaves up an explicit threat, and escalates it: %s', (text) => {
    const d = check(text)
    expect(d.action).not.toBe('allow')
    expect(d.escalate).toBe(true)
  })

  it('hides most explicit threats outright (the rest go to a person first)', () => {
    expectMostly(EXPLICIT, (d) => d.action === 'hide' && d.categories.includes('threat'), 0.55)
  })

  it('sends veiled threats to a person and escalates them', () => {
    expectMostly(VEILED, (d) => d.action !== 'allow' && d.categories.includes('threat'), 1)
  })

  it.each(IDIOMS)('never hides an idiom or an electoral warning: %s', (text) => {
    expect(check(text).action).not.toBe('hide')
  })

  it('leaves most idioms and electoral warnings up', () => {
    expectMostly(IDIOMS, (d) => d.action === 'allow', 0.77)
  })
})

/**
 * An order to attack at the start of a sentence is a rule (threat.imperative), not left to the
 * model: a retrain in another order once let one through. The idioms that start the same way,
 * a denial and a quote of someone else's words are not orders.
 */
describe('threat: an order to attack', () => {
  const ruled = (text: string) => check(text).reasons.some((r) => r.rule === 'threat.imperative')

  it.each([
    'Batter the lot of you, see how you like it.',
    'Lovely speech. Now lamp him.',
    'Strangle every councillor on that committee',
  ])('hides and escalates it by rule: %s', (text) => {
    expect(ruled(text)).toBe(true)
    const d = check(text)
    expect(d.action).toBe('hide')
    expect(d.escalate).toBe(true)
  })

  it.each([
    'Kill them with kindness, that is how you win a ward',
    'Hang him out to dry at the ballot box in May',
    'Nobody is saying hurt them, we are saying vote them out',
    'Kill the bypass plan before it eats the green belt',
  ])('leaves it to the model when it is an idiom, a denial or no person: %s', (text) => {
    expect(ruled(text)).toBe(false)
  })
})

/**
 * "Be a shame if…" is how intimidation is often worded, and also how residents say they would be
 * sorry to lose something. The rule needs something to happen to someone or their things; an
 * opinion about a service is not a threat and is never sent to the safety contact.
 */
describe('threat: shame if', () => {
  it.each([
    'It would be a shame if the youth club shut its doors for good',
    'Be a shame if the council let the bandstand rot for another summer',
  ])('does not call an opinion intimidation: %s', (text) => {
    const d = check(text)
    expect(d.reasons.some((r) => r.rule === 'threat.shame_if')).toBe(false)
    expect(d.escalate).toBe(false)
  })

  it('sends the menacing kind to a person and escalates it', () => {
    const d = check(
      'Nice van you park on Fairfield Road, councillor. Be a shame if something happened to it.',
    )
    expect(d.reasons.some((r) => r.rule === 'threat.shame_if')).toBe(true)
    expect(d.action).not.toBe('allow')
    expect(d.escalate).toBe(true)
  })
})

/**
 * Wishing someone harm that only a crime could bring ("I hope you get stabbed") is a rule
 * (threat.wish), not left to the model: a retrain with more data once left it up. "Shot of" (rid
 * of), "killed off" and a beating at the ballot box are not crimes, and nor is hoping nobody
 * gets hurt.
 */
describe('threat: wishing someone a crime', () => {
  const ruled = (text: string) => check(text).reasons.some((r) => r.rule === 'threat.wish')

  it.each([
    'Honestly I hope they get knifed outside the chamber',
    'hope the lot of you get strung up',
    "I wish you'd get run over on your way to the surgery",
    'I hope somebody glasses him at the count',
  ])('hides and escalates it by rule: %s', (text) => {
    expect(ruled(text)).toBe(true)
    const d = check(text)
    expect(d.action).toBe('hide')
    expect(d.escalate).toBe(true)
  })

  it.each([
    'I hope we get shot of this contractor before the winter gritting starts',
    'I hope you get beaten in May, and soundly',
    'I hope nobody else gets stabbed in that underpass, light it properly',
    'I hope the incinerator plan gets killed off at committee',
  ])('leaves it up when it is an idiom, an election or a hope for safety: %s', (text) => {
    expect(ruled(text)).toBe(false)
    expect(check(text).action).toBe('allow')
  })
})
