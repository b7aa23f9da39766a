import { describe, expect, it } from 'vitest'
import { check, matches } from './helpers.js'

describe('personal data', () => {
  it.each([
    '07700 900123',
    '07700900123',
    '+44 7700 900123',
    '+44 (0)7700 900 123',
    '0044 7700-900-123',
    '(07700) 900123',
    '01632 960123',
    '020 7946 0123',
  ])('hides a UK phone number written as %s', (number) => {
    const d = check(`This is the bloke who blocks my drive, ring him on ${number}`)
    expect(d.action).toBe('hide')
    expect(matches(d)).toContain(number)
  })

  it('hides a private email address', () => {
    expect(check('Complain to her directly: jo.bloggs77@example.com').action).toBe('hide')
  })

  // @NOTE the rules judge these as published contacts; the trained model may still ask a person
  it('never hides a council email or an organisation number', () => {
    expect(check('Email cllr.rose.smith@example.gov.uk, she always replies').action).not.toBe(
      'hide',
    )
    expect(check('The council switchboard is 0300 555 0199').action).not.toBe('hide')
  })

  it('hides a home address tied to a person', () => {
    const d = check(
      'The neighbour who grassed on our extension is at 14 Larch Close if anyone fancies telling her what they think',
    )
    expect(d.action).toBe('hide')
    expect(matches(d)).toContain('14 Larch Close')
  })

  it('hides a postcode with a house number', () => {
    expect(check('Her house is number 8, SW1A 1AA, knock on the door').action).toBe('hide')
  })

  it('never hides a house number used as a landmark', () => {
    expect(check('The streetlight opposite number 12 on Hazel Road is out').action).not.toBe('hide')
  })

  it('hides a vehicle registration', () => {
    expect(check('Silver Golf, reg KQ19 QXZ, speeds past the school every day').action).toBe('hide')
  })

  it('hides a National Insurance number', () => {
    expect(check("Got someone else's letter with NI number QQ 12 34 56 A on it").action).toBe(
      'hide',
    )
  })

  it("hides a child's school with details that identify them", () => {
    expect(check('His daughter goes to Oakfield Primary, she walks home alone at 3').action).toBe(
      'hide',
    )
  })

  it("sends the writer's own number to review when they say it is theirs", () => {
    const d = check('Ring me on 07700 900987 if highways want to call me back')
    expect(d.action).toBe('review')
    expect(d.reasons[0]?.rule).toBe('personal_data.own_number')
  })
})
