import { describe, expect, it } from 'vitest'
import { check, expectMostly } from './helpers.js'

const INSULTS: [string, string][] = [
  ['a one-word insult', 'Moron.'],
  ['an insult with adjectives', "You're a thick, spiteful little man"],
  ['an insult after a criticism word', 'You are a thick, useless idiot'],
  ['an appearance insult', 'Ugly old trout, no surprise you scraped in by twelve votes'],
  [
    'an age jibe',
    "Shouldn't you be in a nursing home by now, gramps? Let someone younger have a go",
  ],
  ['a sexist jibe', 'Get back in the kitchen, love'],
  ['a party slur', 'Lefty scum, all of you'],
  ['family dragged in', 'Your husband must be ashamed of you'],
  [
    'a campaign',
    "Message number 52, Cllr Hart. I'll keep sending them every night until you answer, I can see you've read them all.",
  ],
  ['repeated tagging', '@CllrAmy @CllrAmy @CllrAmy answer me'],
  ['telling someone to vanish', "Why don't you just vanish and spare us all"],
]

describe('harassment', () => {
  it('sends most personal insults to review', () => {
    expectMostly(
      INSULTS.map(([, t]) => t),
      (d) => d.action === 'review' && d.categories.includes('harassment'),
      0.7,
    )
  })

  it.each([
    'Cllr Patel is useless and should resign',
    'You lied about saving the library, then signed off its closure. Hypocrite.',
    'Spineless. You abstained when it mattered.',
    'Gutless. Not one word from you when the youth centre was on the agenda.',
    'Pathetic. Another year, another rise in council tax.',
    'Just resign now and spare the ward another year of this',
    'The cabinet are a disgrace',
  ])('allows harsh political criticism: %s', (text) => {
    expect(check(text).action).toBe('allow')
  })

  // @NOTE "everyone … knows it" is also how insinuations are worded: the model gives this one a
  // borderline allegation and insult call (about 67 % and 70 %) that its criticism output
  // overrules today, so a retrain may ask a person. What must never happen to criticism is an
  // automatic hide.
  it('never hides criticism worded like an insinuation, and says why when it asks a person', () => {
    const d = check("As a leader you're a shambles and every resident in Bassetlaw knows it")
    expect(d.action).not.toBe('hide')
    for (const r of d.reasons) expect(r.explanation).toMatch(/\d+% sure/)
  })

  it("hides a harasser's borderline comment pending review and suggests a ban when strikes pile up", () => {
    const d = check('Moron.', { strikes: 6 })
    expect(d.action).toBe('hide')
    expect(d.reviewRequired).toBe(true)
    expect(d.suggestBan).toBe(true)
    expect(d.modes).toContain('repeat_offender')
  })

  it('counts a personal insult as a strike', () => {
    expect(check('Moron.').strike).toBe(true)
  })
})
