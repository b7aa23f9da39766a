import { describe, expect, it } from 'vitest'
import { withOverrides } from '../../src/moderation/index.js'
import { check, matches, policy } from './helpers.js'

describe('profanity', () => {
  it.each([
    ['plain', 'What a fucking mess this budget is'],
    ['capitals', 'FUCK the lot of you'],
    ['accents', 'Fück this council'],
    ['Cyrillic look-alikes', 'Cllr Green is a сunt'],
    ['Greek look-alikes', 'fυcking useless'],
    ['full-width letters', 'ｆｕｃｋ off'],
    ['mathematical letters', '𝐜𝐮𝐧𝐭𝐬 in the chamber'],
    ['a zero-width space', 'absolute tw\u200bat'],
    ['leetspeak', 'bunch of w4nk3rs on the planning committee'],
    ['symbols inside the word', 'you utter tw@t'],
    ['a dollar sign', '$hite for brains'],
    ['a masked compound', 'sh*t for brains running this council'],
    ['spaces between letters', 'what an utter t w a t'],
    ['dots between letters', 'absolute p.r.i.c.k, that man'],
    ['hyphens between letters', 'W-A-N-K-E-R'],
    ['one letter per line', 't\nw\na\nt'],
    ['repeated letters', 'fuuuuuuck offfff'],
    ['asterisk masking', 'go f*** yourself'],
    ['asterisk masking a vowel', 'you c*nt'],
    ['a respelling', 'phucking useless'],
    ['a word split in two', 'total c0ck w0mble'],
    ['an acronym', 'STFU nobody asked'],
  ])('hides strong swearing when it is disguised by %s', (_how, text) => {
    const d = check(text)
    expect(d.action).toBe('hide')
    expect(d.categories).toContain('profanity')
  })

  it('points at the exact original words when the disguise changes the letters', () => {
    expect(matches(check('Cllr Green is a сunt'))).toContain('сunt')
    expect(matches(check('total c0ck w0mble, honestly'))).toContain('c0ck w0mble')
  })

  it.each([
    'Scunthorpe',
    'Penistone',
    'Cockermouth',
    'Clitheroe',
    'Shitterton',
    'Twatt',
    'Bell End',
    'Sussex',
    'Essex',
    'analysis',
    'assassinate the character',
    'cocktail',
    'Dick Turpin',
    "I'd kill for a cream tea",
    'Bitchfield',
    'Wetwang',
    'shuttlecocks',
    'Cocking',
    'Hancock',
    'Niger and Nigeria',
    'the therapist',
    'a classic assessment',
    'the Arsenal match',
  ])('leaves %s alone when it only looks rude', (words) => {
    const d = check(`Lovely day out near ${words} with the grandchildren.`)
    expect(d.action).toBe('allow')
  })

  it('flags "bell end" when it is aimed at someone, and leaves the street alone', () => {
    expect(check("you're a bell end, Cllr Moss").action).not.toBe('allow')
    expect(check('Bell End in Worcestershire has a lovely pub').action).toBe('allow')
  })

  it('hides "dick" when it is aimed at someone but not when it is a name', () => {
    expect(check('What a dick.').action).toBe('hide')
    expect(check('Dick Whittington is on at the theatre').action).toBe('allow')
  })

  it.each([
    'Bloody potholes again on Mill Lane',
    'Honestly the revised bin rota is total crap, who signed this off?',
    'Sod it, I will take the bins to the tip myself',
    "It's a damn shame the Saturday market is going",
  ])('allows mild swearing by default when nobody is targeted: %s', (text) => {
    expect(check(text).action).toBe('allow')
  })

  it('sends mild swearing to review when the policy says so', () => {
    const strict = withOverrides(policy, { mildProfanity: 'review' })
    expect(check('Bloody potholes again', {}, strict).action).toBe('review')
  })

  it('sends medium swearing to review when it is not aimed at anyone', () => {
    const d = check('The state of the pavements is shite')
    expect(d.action).toBe('review')
    expect(d.reasons[0]?.rule).toBe('profanity.medium')
  })

  it('hides medium swearing and adds harassment when it is aimed at a person', () => {
    const d = check('shit councillors, shit decisions')
    expect(d.action).toBe('hide')
    expect(d.categories).toEqual(['profanity', 'harassment'])
  })

  it('hides words from an account block list', () => {
    const custom = withOverrides(policy, { block: ['numpty'] })
    expect(check('what a numpty', {}, custom).action).toBe('hide')
    // without it, a mild insult aimed at a person goes to a person at most
    expect(check('what a numpty').action).not.toBe('hide')
  })

  it('stops flagging a local name when the account allow-lists it', () => {
    const text = 'The footpath at Bitchwood Farm is flooded again'
    expect(check(text).action).toBe('review')
    const local = withOverrides(policy, { allow: ['Bitchwood'] })
    expect(check(text, {}, local).action).toBe('allow')
  })
})
