import { describe, expect, it } from 'vitest'
import { check } from './helpers.js'

describe('criticism', () => {
  it.each([
    'Cllr Patel is useless and should resign',
    'this council is a shambles',
    'Oh brilliant, another consultation. Because the last nine went so well.',
    'Potholes on every road in Hucknall and you spend £80k on a logo. Unbelievable.',
    'Bloody potholes. Third tyre this year.',
    'You said you would save the day centre. You voted to shut it. Shameful.',
    'Worst councillor this ward has had in thirty years, never answers an email',
    'We will be voting you all out at the next election',
    "Don't forget his vote on the library when he's out canvassing in April",
    'I disagree completely with this decision and I will be objecting formally',
    'Incompetent from top to bottom. Resign, the lot of you.',
    'The independents are just Tories in disguise',
    'What a joke. Bins not collected for three weeks.',
    'Absolute clowns in charge of the one-way system',
  ])('never hides criticism: %s', (text) => {
    expect(check(text).action).toBe('allow')
  })
})
