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
      'Your page will be disabled for violating our community standards. Appeal within 24 hours: https://meta-help.example',
    ],
    ['a job scam', 'Earn £250 a day working from your phone, no experience needed, DM me'],
    ['commercial spam', 'Best deals on designer handbags, 70% off today only, check out my page'],
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
    'Report potholes here, it is quicker: https://www.gov.uk/report-pothole',
    'Is the free garden waste collection still running this year?',
    'Win a hamper at the school raffle on Saturday!',
  ])('allows a useful link or a community notice: %s', (text) => {
    expect(check(text).action).toBe('allow')
  })
})
