import { describe, expect, it } from 'vitest'
import { check } from './helpers.js'

describe('safeguarding', () => {
  it.each([
    "I can't cope any more, I want to end it all",
    'Honestly I feel suicidal since the eviction letter',
    'The kids next door are left alone every night, the baby screams for hours',
    'A man keeps messaging my daughter on here, please help',
  ])('sends a risk of harm to review, urgently, and escalates it: %s', (text) => {
    const d = check(text)
    expect(d.action).toBe('review')
    expect(d.categories).toContain('safeguarding')
    expect(d.urgent).toBe(true)
    expect(d.escalate).toBe(true)
  })

  it('never counts a safeguarding concern as a strike', () => {
    expect(check('I feel suicidal since the eviction letter').strike).toBe(false)
  })
})
