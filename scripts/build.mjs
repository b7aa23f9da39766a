#!/usr/bin/env node
// The compiled build, as the Docker image runs it: `node scripts/build.mjs [--out DIR]`.
// Layout: DIR/src/... (the service and CLI), DIR/test/simulators/... (what `wardguard demo` runs
// against), plus the files tsc does not copy: SQL migrations, the web
// app's stylesheet and images. config/ stays beside DIR (the image copies it to /app/config).
// Plain JavaScript, so it runs before anything is compiled.
import { execFileSync } from 'node:child_process'
import { cpSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)))
const i = process.argv.indexOf('--out')
const out = path.resolve(i > 0 ? process.argv[i + 1] : path.join(root, 'dist'))

rmSync(out, { recursive: true, force: true })
execFileSync(
  process.execPath,
  [
    path.join(root, 'node_modules/typescript/bin/tsc'),
    '-p',
    path.join(root, 'tsconfig.build.json'),
    '--outDir',
    out,
  ],
  { stdio: 'inherit' },
)
const copies = [
  ['src/audit/migrations', 'src/audit/migrations'],
  ['src/web/assets', 'src/web/assets'],
]
for (const [from, to] of copies)
  cpSync(path.join(root, from), path.join(out, to), { recursive: true })
process.stdout.write(`built ${path.relative(process.cwd(), out) || out}\n`)
