/**
 * The demo's sample comments, written for it (fictional people, drama-range phone numbers,
 * .example links). Each says what a council would expect Wardguard to do with it.
 */
export type DemoSample = { author: string; text: string; expect: string }

export const FACEBOOK_SAMPLES: DemoSample[] = [
  {
    author: 'Joan Whitfield',
    text: 'Three months and the pothole on Mill Lane is still there. Useless, the lot of you.',
    expect: 'allow: criticism stays up',
  },
  {
    author: 'Gareth Pryce',
    text: 'Cllr Patel should resign over the library closures. Shameful decision.',
    expect: 'allow: criticism stays up',
  },
  {
    author: 'Dean Moss',
    text: 'you are a useless f*cking c.u.n.t',
    expect: 'hide: disguised strong profanity at a person',
  },
  {
    author: 'Kev Dorling',
    text: 'I know where you live and I will smash your windows in tonight',
    expect: 'hide + urgent review: explicit threat',
  },
  {
    author: 'Sandra Lee',
    text: 'Her neighbour is the one causing trouble, ring him on 07700 900461 and tell him',
    expect: "hide: someone else's phone number",
  },
  {
    author: 'Crypto Deals',
    text: 'Earn £500 a day from home!!! DM me or click https://quick-cash.example/join',
    expect: 'hide: spam',
  },
  {
    author: 'Paul Haines',
    text: 'Everyone knows Cllr Patel took a bribe from the developers to approve the flats',
    expect: 'review: possible defamation, a person decides',
  },
  {
    author: 'Mary Scott',
    text: 'Great turnout at the Scunthorpe and Penistone litter pick, thank you all!',
    expect: 'allow: place names are not profanity',
  },
]

export const X_SAMPLES: DemoSample[] = [
  {
    author: 'ridgeway_rob',
    text: '@CllrDemo the new bin collection timetable is a shambles, sort it out',
    expect: 'allow: complaint about a service',
  },
  {
    author: 'angry_andy77',
    text: '@CllrDemo shut your mouth you thick b1tch',
    expect: 'hide: abuse aimed at the councillor',
  },
]
