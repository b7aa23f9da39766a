import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/errors.js'
import { parseLexicon } from '../../src/moderation/lexicon.js'
import { analyse } from '../../src/moderation/normalise.js'
import { PhraseIndex } from '../../src/moderation/phrase-index.js'
import { PhraseCompiler } from '../../src/moderation/phrases.js'

const sets: Record<string, string[]> = { pet: ['dog', 'big cat', 'hamster'], loop: ['{loop}'] }
const compiler = new PhraseCompiler((name) => sets[name])

function found(pattern: string, text: string): string[] {
  const index = new PhraseIndex<true>()
  index.add(compiler.phrase(pattern, 'test'), true)
  const a = analyse(text)
  return index.find(a).map((h) => text.slice(h.start, h.end))
}

describe('phrases', () => {
  it('matches words, alternatives, endings, optional words and sets', () => {
    expect(found('feed/walk [the] {pet}', 'Please walk the big cat today')).toEqual([
      'walk the big cat',
    ])
    expect(found('stab*', 'he was stabbed')).toEqual(['stabbed'])
    expect(found('i will [really] go', 'I will go')).toEqual(['I will go'])
  })

  it('makes apostrophes optional in contractions but not where the bare word is another word', () => {
    expect(found("i'm off", 'im off now')).toEqual(['im off'])
    expect(found("we'll see", 'well see')).toEqual([])
  })

  it('bridges up to three words with ... but not a sentence break', () => {
    expect(found('nice ... garden', 'nice big sunny green garden')).toEqual([
      'nice big sunny green garden',
    ])
    expect(found('nice ... garden', 'nice big sunny green old garden')).toEqual([])
    expect(found('nice ... garden', 'nice. garden')).toEqual([])
  })

  it('anchors ^ to the start of a sentence', () => {
    expect(found('^ go away', 'Go away. I said go away')).toEqual(['Go away'])
  })

  it('reports a set that refers to itself', () => {
    expect(() => compiler.phrase('{loop}', 'test')).toThrow(ConfigError)
  })

  it('parses sections, columns and comments in a lexicon file', () => {
    const sections = parseLexicon(
      '# heading\nfoo | strong | insult  # note\n[set pets]\ndog\n',
      'x.txt',
    )
    expect(sections.map((s) => [s.kind, s.name, s.lines.map((l) => l.fields)])).toEqual([
      ['list', '', [['foo', 'strong', 'insult']]],
      ['set', 'pets', [['dog']]],
    ])
  })
})
