import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '../../src/moderation/repo-root.js'

/**
 * A candidate policy for the tests: the shipped one with insults hidden outright, mild swearing
 * reviewed and medium swearing allowed, its word lists and model found where they ship.
 */
export function candidateYaml(dir: string): string {
  const text = readFileSync(path.join(REPO_ROOT, 'config', 'policy.yaml'), 'utf8')
    .replace(/^lexicons: lexicons$/m, `lexicons: ${path.join(REPO_ROOT, 'config', 'lexicons')}`)
    .replace(
      /^model: model\/wardguard\.wgm$/m,
      `model: ${path.join(REPO_ROOT, 'config', 'model', 'wardguard.wgm')}`,
    )
    .replace(/(harassment:[^\n]*\n\s+action: )review(\n\s+borderline: )review/, '$1hide$2hide')
    .replace(/^mildProfanity: \w+$/m, 'mildProfanity: review')
    .replace(/^mediumProfanity: \w+$/m, 'mediumProfanity: allow')
  const file = path.join(dir, 'candidate.yaml')
  writeFileSync(file, text)
  return file
}
