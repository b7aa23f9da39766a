import { describe, expect, it } from 'vitest'
import { analyse, canonicalWord, cleanText } from '../../src/moderation/normalise.js'

describe('normalise', () => {
  it('folds case, full-width and mathematical letters when cleaning', () => {
    expect(cleanText('ＨＥＬＬＯ 𝐖𝐨𝐫𝐥𝐝').clean).toBe('hello world')
  })

  it('undoes Cyrillic and Greek look-alikes and strips accents when cleaning', () => {
    expect(cleanText('сυrré').clean).toBe('curre')
  })

  it('drops zero-width characters when they split a word', () => {
    expect(cleanText('fo\u200bo\u200db\u00adar').clean).toBe('foobar')
  })

  it('maps every cleaned character back to the original text when letters change width', () => {
    const text = 'ｂａｄ 𝐰𝐨𝐫𝐝'
    const a = analyse(text)
    expect(a.tokens.map((t) => text.slice(t.start, t.end))).toEqual(['ｂａｄ', '𝐰𝐨𝐫𝐝'])
  })

  it('undoes leetspeak inside a word but leaves numbers alone', () => {
    expect(canonicalWord('sh1t')).toBe('shit')
    expect(canonicalWord('w@nk3r')).toBe('wanker')
    expect(canonicalWord('$hit')).toBe('shit')
    expect(canonicalWord('4pm')).toBe('4pm')
    expect(canonicalWord('2019')).toBe('2019')
  })

  it('marks sentence breaks and commas in the word view', () => {
    expect(analyse('Hello there, friend. Bye!').words).toEqual([
      'hello',
      'there',
      ',',
      'friend',
      '.',
      'bye',
    ])
  })

  it('keeps an @handle whole when it starts a word', () => {
    expect(analyse('thanks @CllrJones!').words).toEqual(['thanks', '@cllrjones'])
  })

  it('finds quotations but not apostrophes inside words', () => {
    const text = `He shouted 'get out' at me. Cllr Harris's reply was fine.`
    const a = analyse(text)
    expect(a.quotes.map((q) => text.slice(q.start, q.end))).toEqual(["'get out'"])
  })
})
