import { describe, expect, it } from 'vitest'
import { check } from './helpers.js'

describe('sub judice', () => {
  it.each([
    'The bloke charged with the Co-op robbery is guilty as sin',
    'Trial starts next week but we all know he did it, lock him up',
    'Anyone on the jury for the Dean Street case, do the right thing',
    'No need for a trial, throw away the key',
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
      'The 14-year-old charged over the fire is Kyle from the Meadows, lives with his nan on Park Road',
    )
    expect(d.action).toBe('hide')
    expect(d.categories).toContain('personal_data')
  })
})
