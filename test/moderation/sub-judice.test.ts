import { describe, expect, it } from 'vitest'
import { check } from './helpers.js'

describe('sub judice', () => {
  it.each([
    'The bloke charged with the Co-op robbery is guilty as sin',
    'Trial starts next week but we all know he did it, lock him up',
    'Whoever ends up a juror in the Hartley Road arson trial, remember what that family went through',
    "What's the point of a trial, just send him down",
  ])('sends prejudging an active case to review: %s', (text) => {
    const d = check(text)
    expect(d.action).toBe('review')
    expect(d.categories).toContain('sub_judice')
  })

  it('allows comment on a finished case', () => {
    expect(check('He was convicted last year and pleaded guilty, good riddance').action).toBe(
      'allow',
    )
  })

  it('hides a comment that names a child defendant', () => {
    const d = check(
      "The boy charged over the bus shelter fire is only 15. It's Jayden Price from Sneinton, his mum's on the tills at Lidl",
    )
    expect(d.action).toBe('hide')
    expect(d.categories).toContain('personal_data')
  })
})
