/**
 * Rough throughput of the audit write path: each "comment" is one transaction with the four
 * events the pipeline writes for a hidden comment, plus its snapshot.
 *   npx tsx test/audit/bench-record.ts [comments=2000] [concurrency=8]
 * Runs on PGlite (in memory and in a data directory), and on Postgres too when
 * TEST_DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { verifyChain } from '../../src/audit/chain.js'
import type { Db } from '../../src/audit/db.js'
import { migrate } from '../../src/audit/migrate.js'
import { openPglite } from '../../src/audit/pglite.js'
import { recordEvent } from '../../src/audit/record.js'
import { saveSnapshot } from '../../src/audit/snapshot.js'
import { backendNames, openTestDb, type TestDb } from './backends.js'
import { actionInput, decisionInput, receivedInput, subject } from './fixtures.js'

const comments = Number(process.argv[2] ?? 2000)
const concurrency = Number(process.argv[3] ?? 8)

async function oneComment(db: Db): Promise<void> {
  const s = subject()
  await db.transaction(async (tx) => {
    await saveSnapshot(tx, {
      subjectKey: s.subjectKey,
      text: 'some words',
      contentHash: 'hash-1',
      capturedAt: new Date().toISOString(),
    })
    const received = await recordEvent(tx, receivedInput(s))
    const decided = await recordEvent(tx, decisionInput(s, received.event.id))
    const requested = await recordEvent(tx, actionInput(s, 'action.requested', decided.event.id))
    await recordEvent(tx, actionInput(s, 'action.applied', requested.event.id))
  })
}

type Target = 'pglite' | 'pglite-disk' | 'postgres'

async function open(target: Target, workers: number): Promise<TestDb> {
  if (target !== 'pglite-disk') return openTestDb(target, { poolSize: workers })
  const dir = mkdtempSync(path.join(tmpdir(), 'wg-bench-'))
  const db = await openPglite(path.join(dir, 'audit'))
  await migrate(db)
  return {
    db,
    dispose: async () => {
      await db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function bench(backend: Target, workers: number): Promise<void> {
  const t = await open(backend, workers)
  try {
    for (let i = 0; i < 50; i++) await oneComment(t.db) // warm up
    let next = 0
    const started = performance.now()
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (next++ < comments) await oneComment(t.db)
      }),
    )
    const seconds = (performance.now() - started) / 1000
    const verifyStart = performance.now()
    const chain = await verifyChain(t.db)
    const verifyMs = performance.now() - verifyStart
    console.log(
      `${backend.padEnd(11)} concurrency ${String(workers).padStart(2)}: ` +
        `${Math.round(comments / seconds)} comments/s (${Math.round((comments * 4) / seconds)} events/s); ` +
        `verifyChain ${chain.checked} events ok=${chain.ok} in ${Math.round(verifyMs)} ms`,
    )
  } finally {
    await t.dispose()
  }
}

await bench('pglite', 1)
await bench('pglite-disk', 1)
if (backendNames().includes('postgres')) {
  await bench('postgres', 1)
  await bench('postgres', concurrency)
}
process.exit(0)
