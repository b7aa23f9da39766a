import { describe, expect, it } from 'vitest'
import { check } from './helpers.js'

describe('threat', () => {
  it.each([
    'I will stab you next time you come to the surgery',
    "I'm going to batter him when I see him at the count",
    'Next warden who tickets me, I will throw him in the river',
    'Someone needs to put a bullet in that councillor',
    'Somebody should torch the council offices',
    'Hang all the councillors. Start with the leader.',
    'Bring petrol to the meeting on Monday',
    'Your windows are going in tonight',
    'I hope you get stabbed',
    'I hope someone stabs you on the way home',
    'Someone should petrol bomb his house',
    "There'll be bloodshed if the tip closes",
    "I've got a shotgun and I'll use it if you touch my land",
    'go kill yourself',
  ])('hides and escalates an explicit threat: %s', (text) => {
    const d = check(text)
    expect(d.action).toBe('hide')
    expect(d.categories).toContain('threat')
    expect(d.escalate).toBe(true)
    expect(d.urgent).toBe(true)
  })

  it.each([
    'Watch your back, councillor',
    'Everyone knows where you live, councillor',
    'Lovely house you have got there. Shame if anything happened to it.',
    'We know which school your kids go to',
    'Keep this up and you will end up in the canal',
    'Tick tock, your time is coming',
  ])('sends a veiled threat to review and escalates it: %s', (text) => {
    const d = check(text)
    expect(d.action).toBe('review')
    expect(d.categories).toEqual(['threat'])
    expect(d.escalate).toBe(true)
  })

  it.each([
    "I'd kill for a decent bus service",
    'Shoot me a message if you want to help with the litter pick',
    'The vote was a massacre for the opposition',
    'Our new skatepark is the bomb',
    'This parking charge is killing the high street',
    'Slow down on Church Lane before someone gets killed',
    'Your days are numbered, we will vote you out in May',
    'I will shoot you an email with the minutes',
    'No one deserves to die for where they were born',
  ])('allows an idiom or an electoral warning: %s', (text) => {
    expect(check(text).action).toBe('allow')
  })
})
