/**
 * Group commit for the audit trail. Every append takes the hash chain's one lock, so concurrent
 * jobs writing their own small transactions queue behind each other, each paying a begin, a
 * lock, a read, an insert and a commit. The writer instead gathers what concurrent callers hand
 * it and writes it in ONE chain-locked transaction through the bulk path, then gives each caller
 * its own results.
 *
 * @NOTE crash safety is unchanged: a caller learns its events are recorded only once the
 * transaction holding them has committed, and a BullMQ job is acked only after that.
 */
import { auditLogger } from '../logger.js'
import type { Db } from './db.js'
import { isConnectionLoss } from './db-errors.js'
import type { AuditEventInput } from './events.js'
import {
  appendPrepared,
  type BulkEventInput,
  concatPrepared,
  type PreparedEvents,
  prepareEvents,
  type Recorded,
} from './record-bulk.js'
import { type SnapshotInput, saveSnapshots } from './snapshot.js'

/** One caller's write: text snapshots first, then events (refs index into `events`). */
export type AuditWrite = { snapshots?: SnapshotInput[]; events: BulkEventInput[] }

/** Where pipeline stages send their audit writes: a group-commit writer, or straight to the db. */
export type AuditSink = { write(w: AuditWrite): Promise<Recorded[]> }

export type AuditWriterOptions = {
  /** a batch closes once it holds this many events (a single larger write still goes alone) */
  maxEvents?: number
  /** wait this long for company before writing; 0 writes on the next turn of the event loop */
  lingerMs?: number
}

type Pending = {
  snapshots: SnapshotInput[]
  prepared: PreparedEvents
  resolve: (r: Recorded[]) => void
  reject: (err: unknown) => void
}

/** Writes in a transaction of its own, at once: the same outcome as the writer, one by one. */
export function directSink(db: Db): AuditSink {
  return { write: (w) => writeBatch(db, [pendingOf(w)]).then((r) => r[0] as Recorded[]) }
}

/** One event, through the process's group-commit writer when there is one, else on its own. */
export async function recordVia(
  sink: AuditSink | undefined,
  db: Db,
  input: AuditEventInput,
): Promise<Recorded> {
  const [recorded] = await (sink ?? directSink(db)).write({ events: [input] })
  return recorded as Recorded
}

/**
 * The group-commit writer. Calls made while a batch is being written wait for the next one, so
 * batches grow with the load and an idle writer adds no delay. A dedupe key repeated across
 * callers is "already recorded" for the later caller, exactly as if they had run one after the
 * other. @NOTE never call write() from inside a transaction on the same db: the batch needs a
 * transaction of its own (on PGlite it would wait for yours forever).
 */
export class AuditWriter implements AuditSink {
  private readonly db: Db
  private readonly maxEvents: number
  private readonly lingerMs: number
  private queue: Pending[] = []
  private running: Promise<void> | null = null
  private scheduled: NodeJS.Timeout | NodeJS.Immediate | null = null
  private stopped = false

  constructor(db: Db, opts: AuditWriterOptions = {}) {
    this.db = db
    this.maxEvents = opts.maxEvents ?? 2_000
    this.lingerMs = opts.lingerMs ?? 0
  }

  /** Resolves with one Recorded per event once they are committed. */
  write(w: AuditWrite): Promise<Recorded[]> {
    // @NOTE validated here, so a malformed write fails its own caller and nobody else's
    let pending: Pending
    try {
      pending = pendingOf(w)
    } catch (err) {
      return Promise.reject(err)
    }
    // after stop() (a late failure handler, say) there is no batch to join: write alone
    if (this.stopped) return writeBatch(this.db, [pending]).then((r) => r[0] as Recorded[])
    return new Promise<Recorded[]>((resolve, reject) => {
      pending.resolve = resolve
      pending.reject = reject
      this.queue.push(pending)
      this.schedule()
    })
  }

  /** Resolves once everything written before this call is committed (or has failed). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.running || this.scheduled) {
      if (!this.running) this.runNow()
      await this.running
    }
  }

  /** Writes what is queued; later writes each go straight to the database. */
  async stop(): Promise<void> {
    this.stopped = true
    await this.flush()
  }

  private schedule(): void {
    if (this.running || this.scheduled) return
    this.scheduled =
      this.lingerMs > 0
        ? setTimeout(() => this.runNow(), this.lingerMs)
        : setImmediate(() => this.runNow())
  }

  private runNow(): void {
    if (this.scheduled) {
      clearTimeout(this.scheduled as NodeJS.Timeout)
      clearImmediate(this.scheduled as NodeJS.Immediate)
      this.scheduled = null
    }
    if (this.running || this.queue.length === 0) return
    this.running = this.writeNext().finally(() => {
      this.running = null
      if (this.queue.length > 0) this.schedule()
    })
  }

  private async writeNext(): Promise<void> {
    const batch = this.take()
    try {
      const results = await writeBatch(this.db, batch)
      for (const [i, p] of batch.entries()) p.resolve(results[i] as Recorded[])
    } catch (err) {
      // @NOTE the store is away: writing each caller alone would only fail again, slower
      if (batch.length === 1 || isConnectionLoss(err)) {
        for (const p of batch) p.reject(err)
        return
      }
      // @NOTE one bad write must not fail its neighbours (their jobs would retry for nothing,
      // and meet it again): each is tried again alone, and only the bad one fails
      auditLogger.warn(
        { callers: batch.length, err: (err as Error).message },
        'audit batch failed; writing its callers one by one',
      )
      for (const p of batch) {
        await writeBatch(this.db, [p]).then(
          (r) => p.resolve(r[0] as Recorded[]),
          (e: unknown) => p.reject(e),
        )
      }
    }
  }

  private take(): Pending[] {
    let events = 0
    let n = 0
    while (n < this.queue.length) {
      const size = (this.queue[n] as Pending).prepared.parsed.length
      if (n > 0 && events + size > this.maxEvents) break
      events += size
      n++
    }
    return this.queue.splice(0, n)
  }
}

function pendingOf(w: AuditWrite): Pending {
  return {
    snapshots: w.snapshots ?? [],
    prepared: prepareEvents(w.events),
    resolve: () => undefined,
    reject: () => undefined,
  }
}

/** One transaction: every caller's snapshots, then every caller's events, in caller order. */
function writeBatch(db: Db, batch: Pending[]): Promise<Recorded[][]> {
  return db.transaction(async (tx) => {
    const snapshots = batch.flatMap((p) => p.snapshots)
    if (snapshots.length > 0) await saveSnapshots(tx, snapshots)
    const { prepared, offsets } = concatPrepared(batch.map((p) => p.prepared))
    const results = await appendPrepared(tx, prepared)
    return batch.map((p, i) => {
      const from = offsets[i] as number
      return results.slice(from, from + p.prepared.parsed.length)
    })
  })
}
