import { describe, expect, it } from 'vitest'
import { check } from './helpers.js'

describe('spam', () => {
  it.each([
    [
      'a crypto scam',
      'Send 0.05 BTC and get 0.5 BTC back, giveaway ends today https://crypto-double.example',
    ],
    [
      'phishing as the council',
      'Council tax refund available now, verify your bank details: https://council-refunds.example',
    ],
    [
      'phishing as the platform',
      'Meta Support: we detected copyright infringement on this account. Confirm your login within 12 hours or it will be removed: https://fb-verify-centre.example',
    ],
    [
      'a job scam',
      'Mums in Derby are making £300 a day from home with this simple app, message me for details',
    ],
    ['commercial spam', 'Replica trainers from £19.99, free UK delivery, link in my bio'],
    [
      'a romance scam',
      'Hello dear, I am a soldier on peacekeeping mission, please accept my friend request',
    ],
    ['a link farm', 'see a.example b.example c.example'],
  ])('hides %s', (_what, text) => {
    const d = check(text)
    expect(d.action).toBe('hide')
    expect(d.categories).toEqual(['spam'])
  })

  it.each([
    "Cllr Hart shared this for anyone wanting an older person's bus pass: https://www.gov.uk/apply-for-elderly-person-bus-pass",
    'Is the free garden waste collection still running this year?',
    'Win a hamper at the school raffle on Saturday!',
  ])('allows a useful link or a community notice: %s', (text) => {
    expect(check(text).action).toBe('allow')
  })
})
