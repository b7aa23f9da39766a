/**
 * Characters that look like Latin letters (or like plain punctuation) and what they stand for.
 * Applied after NFKC and lower-casing, so full-width and mathematical letters are already plain.
 * @NOTE only letters people actually use to dodge filters: a wider table would start to eat
 * real Greek, Cyrillic and Welsh text for no gain.
 */
const TABLE: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  г: 'r',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  п: 'n',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ь: 'b',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  // Greek
  α: 'a',
  β: 'b',
  γ: 'y',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  μ: 'u',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  // Latin letters that NFD does not take apart
  ł: 'l',
  đ: 'd',
  ø: 'o',
  ħ: 'h',
  ı: 'i',
  ȷ: 'j',
  ƒ: 'f',
  ŧ: 't',
  ɑ: 'a',
  ɡ: 'g',
  // small capitals
  ᴀ: 'a',
  ʙ: 'b',
  ᴄ: 'c',
  ᴅ: 'd',
  ᴇ: 'e',
  ғ: 'f',
  ɢ: 'g',
  ʜ: 'h',
  ɪ: 'i',
  ᴊ: 'j',
  ᴋ: 'k',
  ʟ: 'l',
  ᴍ: 'm',
  ɴ: 'n',
  ᴏ: 'o',
  ᴘ: 'p',
  ʀ: 'r',
  ꜱ: 's',
  ᴛ: 't',
  ᴜ: 'u',
  ᴠ: 'v',
  ᴡ: 'w',
  ʏ: 'y',
  ᴢ: 'z',
  // symbols used as letters
  '¡': 'i',
  '¢': 'c',
  '×': 'x',
  // typography: one apostrophe, one double quote, one dash
  '\u2018': "'",
  '\u2019': "'",
  '\u201B': "'",
  '\u2032': "'",
  '`': "'",
  '\u00B4': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u2033': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
}

export function unconfuse(ch: string): string {
  return TABLE[ch] ?? ch
}

/** Emoji letter boxes (regional indicators, squared and circled capitals) read as a-z. */
export function emojiLetter(cp: number): string | null {
  const ranges: Array<[number, number]> = [
    [0x1f1e6, 0x1f1ff],
    [0x1f130, 0x1f149],
    [0x1f150, 0x1f169],
    [0x1f170, 0x1f189],
  ]
  for (const [lo, hi] of ranges) {
    if (cp >= lo && cp <= hi) return String.fromCharCode(97 + (cp - lo))
  }
  return null
}
