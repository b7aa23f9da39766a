import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The repository (or image) root, found from this file, not the cwd: the nearest folder above it
 * with a package.json. @NOTE searched rather than counted, because the file sits at
 * src/moderation/ in a checkout and at dist/src/moderation/ in the compiled build.
 */
export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)))

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return `${dir}/`
    if (dirname(dir) === dir) return fileURLToPath(new URL('../../', import.meta.url))
  }
}
