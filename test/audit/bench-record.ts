/**
 * Rough throughput of the audit write path for comments that get hidden: per comment its
 * snapshot and the four events the pipeline writes (received, decided, hide requested, applied).
 *   npx tsx test/audit/bench-record.ts [comments=2000] [concurrency=8]
 * Two ways, each with `concurrency` callers at once: "direct", one transaction per comment (the
 * bulk path, as a job without a writer does); "writer", the group-commit AuditWriter the workers
 * share, which puts concurrent callers in one transaction. Runs on PGlite (in memory and in a
 * data directory), and on Postgres too when TEST_DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type AuditSink, AuditWriter, directSink } from '../../src/audit/audit-writer.js'
import { verifyChain } from '../../src/audit/chain.js'
import { migrate } from '../../src/audit/migrate.js'
import { openPglite } from '../../src/audit/pglite.js'
import { backendNames, openTestDb, type TestDb } from './backends.js'
import { actionInput, decisionInput, receivedInput, subject } from './fixtures.js'

const comments = Number(process.argv[2] ?? 2000)
const concurrency = Number(process.argv[3] ?? 8)

async function oneComment(sink: AuditSink): Promise<void> {
  const s = subject()
  await sink.write({
    snapshots: [
      {
        subjectKey: s.subjectKey,
        text: 'some words',
        contentHash: 'hash-1',
        capturedAt: new Date().toISOString(),
      },
    ],
    events: [
      receivedInput(s),
      { ...decisionInput(s, '1'), causedBy: { index: 0 } },
      {
        ...actionInput(s, 'action.requested', '1'),
        causedBy: { index: 1 },
        dedupeKey: { causeSuffix: '/action.requested' },
      },
      {
        ...actionInput(s, 'action.applied', '1'),
        causedBy: { index: 2 },
        dedupeKey: `${s.subjectKey}/action.applied`,
      },
    ],
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

async function bench(backend: Target, way: 'direct' | 'writer', workers: number): Promise<void> {
  const t = await open(backend, workers)
  const writer = way === 'writer' ? new AuditWriter(t.db) : null
  const sink = writer ?? directSink(t.db)
  try {
    for (let i = 0; i < 50; i++) await oneComment(sink) // warm up
    let next = 0
    const started = performance.now()
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (next++ < comments) await oneComment(sink)
      }),
    )
    const seconds = (performance.now() - started) / 1000
    await writer?.stop()
    const chain = await verifyChain(t.db)
    console.log(
      `${backend.padEnd(11)} ${way.padEnd(6)} concurrency ${String(workers).padStart(2)}: ` +
        `${Math.round(comments / seconds)} comments/s (${Math.round((comments * 4) / seconds)} events/s); ` +
        `chain of ${chain.checked} events ok=${chain.ok}`,
    )
  } finally {
    await t.dispose()
  }
}

for (const backend of ['pglite', 'pglite-disk', 'postgres'] as const) {
  if (backend === 'postgres' && !backendNames().includes('postgres')) continue
  await bench(backend, 'direct', concurrency)
  await bench(backend, 'writer', concurrency)
}
process.exit(0)
