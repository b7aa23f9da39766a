import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** A scratch folder removed by the returned cleanup. */
export function tempDir(prefix = 'wardguard-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export function writeFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name)
  writeFileSync(file, content)
  return file
}
