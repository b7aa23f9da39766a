import { fileURLToPath } from 'node:url'

/** The repository root, found from this file (src/moderation/ or dist/moderation/), not the cwd. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
