/** The stylesheet compiler, for the build step and its staleness test (sass is a dev dependency). */
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const STYLES_SOURCE = `${ROOT}src/web/styles/wardguard.scss`
export const STYLESHEET_FILE = `${ROOT}src/web/assets/wardguard.css`

export function compileStyles(): string {
  const result = sass.compile(STYLES_SOURCE, {
    loadPaths: [ROOT],
    style: 'compressed',
    quietDeps: true,
  })
  return `${result.css}\n`
}
