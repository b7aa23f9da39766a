import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compileStyles, STYLESHEET_FILE } from '../../scripts/lib/styles.js'

describe('the design system stylesheet', () => {
  it('is the compiled source as committed (run npm run build:css after changing the styles)', () => {
    expect(readFileSync(STYLESHEET_FILE, 'utf8') === compileStyles()).toBe(true)
  }, 30_000)

  it('is brand-neutral: a system font, no GDS Transport and no crown', () => {
    const css = readFileSync(STYLESHEET_FILE, 'utf8')
    expect(css).toContain('system-ui')
    expect(css).not.toContain('GDS Transport')
    expect(css).not.toMatch(/@font-face/)
    expect(css).toContain('.govuk-table')
    expect(css).toContain('.moj-filter')
    expect(/@media ?\(max-width/.test(css)).toBe(true)
  })
})
