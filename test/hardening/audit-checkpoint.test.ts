import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type Db, migrate, openDatabase, recordEvent, verifyChain } from '../../src/audit/index.js'
import { asSuperuser } from '../audit/backends.js'
import { actionInput, decisionInput, receivedInput, subject } from '../audit/fixtures.js'
import { runCli } from '../helpers/process.js'
import { tempDir } from '../helpers/tmp.js'

const KEY = 'a-checkpoint-key-that-is-long-enough-0123456789'

async function comments(db: Db, n: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const s = subject()
    const received = await recordEvent(db, receivedInput(s))
    const decided = await recordEvent(db, decisionInput(s, received.event.id))
    const requested = await recordEvent(db, actionInput(s, 'action.requested', decided.event.id))
    ids.push(received.event.id, decided.event.id, requested.event.id)
  }
  return ids
}

/**
 * Issue 11, item 7: deleting the newest events and moving the chain head back leaves a trail
 * that verifies on its own; a signed checkpoint kept outside the database catches it.
 */
describe('audit checkpoint', () => {
  const tmp = tempDir('wardguard-checkpoint-')
  afterAll(() => tmp.cleanup())
  const env = { DATA_DIR: tmp.dir, AUDIT_CHECKPOINT_KEY: KEY }
  const open = async () => {
    const db = await openDatabase({ dataDir: path.join(tmp.dir, 'pglite') })
    await migrate(db)
    return db
  }

  it('wardguard audit verify --checkpoint detects a truncated trail with its head rewound', async () => {
    let db = await open()
    await comments(db, 3)
    await db.close()
    const file = path.join(tmp.dir, 'checkpoint.json')
    const made = await runCli(['audit', 'checkpoint', '--out', file], { cwd: tmp.dir, env })
    expect(made.code, made.stderr).toBe(0)
    const checkpoint = JSON.parse(readFileSync(file, 'utf8'))
    expect(checkpoint.lastEventId).toBe('9')

    // more events after the checkpoint are fine
    db = await open()
    await comments(db, 1)
    await db.close()
    const fine = await runCli(['audit', 'verify', '--checkpoint', file], { cwd: tmp.dir, env })
    expect(fine.code, fine.stderr).toBe(0)
    expect(fine.stdout).toContain('checkpoint OK')

    // someone with database rights deletes the newest events and moves the head back
    db = await open()
    const [kept] = await db.query<{ hash: string }>(
      'select hash from moderation_event where id = 6',
    )
    await asSuperuser(db, 'delete from moderation_event where id > 6')
    await asSuperuser(db, 'update audit_chain_head set last_event_id = 6, last_hash = $1', [
      kept?.hash,
    ])
    expect((await verifyChain(db)).ok).toBe(true)
    await db.close()
    const plain = await runCli(['audit', 'verify'], { cwd: tmp.dir, env })
    expect(plain.code).toBe(0)
    const anchored = await runCli(['audit', 'verify', '--checkpoint', file], {
      cwd: tmp.dir,
      env,
    })
    expect(anchored.code).toBe(1)
    expect(anchored.stderr).toContain('event 9')
    expect(anchored.stderr).toContain('cut back')

    // a checkpoint edited to point elsewhere does not verify
    const forged = path.join(tmp.dir, 'forged.json')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(forged, JSON.stringify({ ...checkpoint, lastEventId: '6' }))
    const bad = await runCli(['audit', 'verify', '--checkpoint', forged], { cwd: tmp.dir, env })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('signature')
  }, 120_000)
})
