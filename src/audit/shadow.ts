/**
 * Shadow runs: a candidate policy or model decides each new comment of one account beside the
 * active engine; only the active one acts. What both decided is kept per comment (no text), and
 * switching to the candidate is one recorded action.
 */
import { z } from 'zod'
import { AppError } from '../errors.js'
import type { Db } from './db.js'
import type { AuditEvent } from './events.js'
import { recordEvent } from './record.js'
import { isoOf } from './rows.js'

export type ShadowState = 'running' | 'stopped' | 'switched'

export type ShadowRun = {
  id: string
  accountId: string
  policyPath: string
  modelPath: string | null
  candidateVersion: string
  activeVersion: string
  startedBy: string
  startedAt: string
  endsAt: string
  state: ShadowState
  closedAt: string | null
}

export type ShadowDecisionRow = {
  runId: string
  subjectKey: string
  decidedAt: string
  activeAction: 'allow' | 'review' | 'hide'
  candidateAction: 'allow' | 'review' | 'hide'
  activeCategories: string[]
  candidateCategories: string[]
}

export type ShadowDay = {
  day: string
  compared: number
  changed: number
  hidesGained: number
  hidesLost: number
  reviewsGained: number
  reviewsLost: number
}

export type AccountEngine = {
  accountId: string
  policyPath: string
  modelPath: string | null
  version: string
  runId: string
  eventId: string
  switchedBy: string
  switchedAt: string
}

const COLUMNS = `id::text as id, account_id, policy_path, model_path, candidate_version,
  active_version, started_by, started_at, ends_at, state, closed_at`

function fromRow(r: Record<string, unknown>): ShadowRun {
  return {
    id: String(r.id),
    accountId: String(r.account_id),
    policyPath: String(r.policy_path),
    modelPath: (r.model_path ?? null) as string | null,
    candidateVersion: String(r.candidate_version),
    activeVersion: String(r.active_version),
    startedBy: String(r.started_by),
    startedAt: isoOf(r.started_at),
    endsAt: isoOf(r.ends_at),
    state: r.state as ShadowState,
    closedAt: r.closed_at == null ? null : isoOf(r.closed_at),
  }
}

const StartSchema = z.object({
  accountId: z.string().min(1).max(100),
  policyPath: z.string().min(1).max(1000),
  modelPath: z.string().min(1).max(1000).nullable(),
  candidateVersion: z.string().min(1).max(64),
  activeVersion: z.string().min(1).max(64),
  startedBy: z.string().min(1).max(200),
  days: z.number().int().min(1).max(90),
})

/** Starts a run (one per account at a time) and records shadow.started. */
export async function startShadowRun(
  db: Db,
  input: z.input<typeof StartSchema>,
  now: Date = new Date(),
): Promise<ShadowRun> {
  const o = StartSchema.parse(input)
  return db.transaction(async (tx) => {
    const [running] = await tx.query(
      `select id from shadow_run where account_id = $1 and state = 'running'`,
      [o.accountId],
    )
    if (running) {
      throw new AppError(
        'message_invalid',
        `account ${o.accountId} already has a candidate in shadow (run ${String(running.id)}): stop it first`,
      )
    }
    const endsAt = new Date(now.getTime() + o.days * 86_400_000).toISOString()
    const [row] = await tx.query(
      `insert into shadow_run (account_id, policy_path, model_path, candidate_version,
         active_version, started_by, started_at, ends_at)
       values ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz) returning ${COLUMNS}`,
      [
        o.accountId,
        o.policyPath,
        o.modelPath,
        o.candidateVersion,
        o.activeVersion,
        o.startedBy,
        now.toISOString(),
        endsAt,
      ],
    )
    const run = fromRow(row as Record<string, unknown>)
    await recordEvent(tx, {
      ...systemSubject(run.accountId),
      type: 'shadow.started',
      actor: { kind: 'moderator', id: o.startedBy },
      reason: `candidate ${o.candidateVersion} shadows ${o.activeVersion} for ${o.days} days`,
      meta: { runId: run.id, policyPath: o.policyPath, modelPath: o.modelPath, endsAt },
      dedupeKey: `shadow/${run.id}/started`,
      at: now.toISOString(),
    })
    return run
  })
}

/** Ends a run without switching (recorded). */
export async function stopShadowRun(db: Db, runId: string, by: string): Promise<ShadowRun | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query(
      `update shadow_run set state = 'stopped', closed_at = now()
       where id = $1::bigint and state = 'running' returning ${COLUMNS}`,
      [runId],
    )
    if (!row) return null
    const run = fromRow(row)
    await recordEvent(tx, {
      ...systemSubject(run.accountId),
      type: 'shadow.stopped',
      actor: { kind: 'moderator', id: by },
      reason: `candidate ${run.candidateVersion} no longer shadows ${run.accountId}`,
      meta: { runId: run.id },
      dedupeKey: `shadow/${run.id}/stopped`,
    })
    return run
  })
}

export async function listShadowRuns(db: Db, opts: { accountIds?: string[] } = {}) {
  const rows = await db.query(
    `select ${COLUMNS} from shadow_run
     where ($1::text[] is null or account_id = any($1::text[])) order by id desc limit 200`,
    [opts.accountIds ?? null],
  )
  return rows.map(fromRow)
}

export async function getShadowRun(db: Db, runId: string): Promise<ShadowRun | null> {
  if (!/^\d{1,18}$/.test(runId)) return null
  const [row] = await db.query(`select ${COLUMNS} from shadow_run where id = $1::bigint`, [runId])
  return row ? fromRow(row) : null
}

/** Runs still comparing: running and not past their end. */
export async function runningShadowRuns(db: Db, now: Date = new Date()): Promise<ShadowRun[]> {
  const rows = await db.query(
    `select ${COLUMNS} from shadow_run where state = 'running' and ends_at > $1::timestamptz`,
    [now.toISOString()],
  )
  return rows.map(fromRow)
}

/** What both engines decided, once per comment and run (a redelivery adds nothing). */
export async function recordShadowDecisions(db: Db, rows: ShadowDecisionRow[]): Promise<void> {
  if (rows.length === 0) return
  await db.query(
    `insert into shadow_decision (run_id, subject_key, decided_at, active_action, candidate_action,
       active_categories, candidate_categories)
     select (r->>'runId')::bigint, r->>'subjectKey', (r->>'decidedAt')::timestamptz,
       r->>'activeAction', r->>'candidateAction',
       array(select jsonb_array_elements_text(r->'activeCategories')),
       array(select jsonb_array_elements_text(r->'candidateCategories'))
     from jsonb_array_elements($1::jsonb) r
     on conflict (run_id, subject_key) do nothing`,
    [JSON.stringify(rows)],
  )
}

/** The daily differences of one run, oldest day first (days in UTC). */
export async function shadowDays(db: Db, runId: string): Promise<ShadowDay[]> {
  const rows = await db.query(
    `select to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as compared,
       count(*) filter (where active_action <> candidate_action
         or active_categories <> candidate_categories)::int as changed,
       count(*) filter (where active_action <> 'hide' and candidate_action = 'hide')::int as hg,
       count(*) filter (where active_action = 'hide' and candidate_action <> 'hide')::int as hl,
       count(*) filter (where active_action <> 'review' and candidate_action = 'review')::int as rg,
       count(*) filter (where active_action = 'review' and candidate_action <> 'review')::int as rl
     from shadow_decision where run_id = $1::bigint group by 1 order by 1`,
    [runId],
  )
  return rows.map((r) => ({
    day: String(r.day),
    compared: Number(r.compared),
    changed: Number(r.changed),
    hidesGained: Number(r.hg),
    hidesLost: Number(r.hl),
    reviewsGained: Number(r.rg),
    reviewsLost: Number(r.rl),
  }))
}

/** The comments the two engines decided differently, newest first. */
export async function shadowChanges(
  db: Db,
  runId: string,
  limit = 200,
): Promise<ShadowDecisionRow[]> {
  const rows = await db.query(
    `select run_id::text as run_id, subject_key, decided_at, active_action, candidate_action,
       active_categories, candidate_categories
     from shadow_decision where run_id = $1::bigint
       and (active_action <> candidate_action or active_categories <> candidate_categories)
     order by decided_at desc limit $2`,
    [runId, limit],
  )
  return rows.map((r) => ({
    runId: String(r.run_id),
    subjectKey: String(r.subject_key),
    decidedAt: isoOf(r.decided_at),
    activeAction: r.active_action as ShadowDecisionRow['activeAction'],
    candidateAction: r.candidate_action as ShadowDecisionRow['candidateAction'],
    activeCategories: (r.active_categories ?? []) as string[],
    candidateCategories: (r.candidate_categories ?? []) as string[],
  }))
}

/**
 * Makes a run's candidate the account's engine: shadow.switched (who, and the differences they
 * were shown), the account's engine row, and the run closed, in one transaction.
 */
export async function switchToCandidate(
  db: Db,
  input: { runId: string; by: string; diffSeen: Record<string, unknown> },
): Promise<{ run: ShadowRun; event: AuditEvent } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query(
      `update shadow_run set state = 'switched', closed_at = now()
       where id = $1::bigint and state in ('running', 'stopped') returning ${COLUMNS}`,
      [input.runId],
    )
    if (!row) return null
    const run = fromRow(row)
    const { event } = await recordEvent(tx, {
      ...systemSubject(run.accountId),
      type: 'shadow.switched',
      actor: { kind: 'moderator', id: input.by },
      reason: `${run.accountId} switched from ${run.activeVersion} to ${run.candidateVersion}`,
      meta: {
        runId: run.id,
        from: run.activeVersion,
        to: run.candidateVersion,
        policyPath: run.policyPath,
        modelPath: run.modelPath,
        diffSeen: input.diffSeen,
      },
      dedupeKey: `shadow/${run.id}/switched`,
    })
    await tx.query(
      `insert into account_engine (account_id, policy_path, model_path, version, run_id, event_id,
         switched_by, switched_at)
       values ($1, $2, $3, $4, $5::bigint, $6::bigint, $7, $8::timestamptz)
       on conflict (account_id) do update set policy_path = excluded.policy_path,
         model_path = excluded.model_path, version = excluded.version, run_id = excluded.run_id,
         event_id = excluded.event_id, switched_by = excluded.switched_by,
         switched_at = excluded.switched_at`,
      [
        run.accountId,
        run.policyPath,
        run.modelPath,
        run.candidateVersion,
        run.id,
        event.id,
        input.by,
        event.createdAt,
      ],
    )
    return { run, event }
  })
}

export async function accountEngines(db: Db): Promise<AccountEngine[]> {
  const rows = await db.query(
    `select account_id, policy_path, model_path, version, run_id::text as run_id,
       event_id::text as event_id, switched_by, switched_at from account_engine`,
  )
  return rows.map((r) => ({
    accountId: String(r.account_id),
    policyPath: String(r.policy_path),
    modelPath: (r.model_path ?? null) as string | null,
    version: String(r.version),
    runId: String(r.run_id),
    eventId: String(r.event_id),
    switchedBy: String(r.switched_by),
    switchedAt: isoOf(r.switched_at),
  }))
}

function systemSubject(accountId: string) {
  return {
    subjectKey: `shadow.${accountId}`,
    platform: 'system' as const,
    commentId: null,
    accountId,
  }
}
