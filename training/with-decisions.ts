/**
 * `wardguard train --with-decisions`: the shipped training material plus the council's own
 * moderators' decisions (masked, and only what retention has kept), trained on this machine into
 * DATA_DIR/model with its own model card. Nothing is sent anywhere.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { type Db, exportDecisions } from '../src/audit/index.js'
import { ConfigError } from '../src/errors.js'
import { decisionItems } from '../src/moderation/decision-items.js'
import { REPO_ROOT } from '../src/moderation/repo-root.js'
import { councilExamples } from './council.js'
import { DEFAULTS, type TrainOptions, trainModel } from './run.js'

export type CouncilTraining = {
  model: string
  path: string
  card: string | null
  examples: number
  byCategory: Record<string, number>
  purged: number
  uncategorised: number
  publicSets: boolean
}

export async function trainWithDecisions(
  db: Db,
  opts: {
    outDir: string
    /** decisions made since (ISO time); default all that retention kept */
    since?: string
    /** how much one council decision counts against one shipped item (default 10) */
    weight?: number
    /** the public sets' folder; default WARDGUARD_DATA_DIR or ../shared/data when present */
    publicData?: string | null
    train?: Partial<Pick<TrainOptions, 'epochs' | 'bits' | 'seed' | 'quick'>>
    log?: (line: string) => void
  },
): Promise<CouncilTraining> {
  const decided = await exportDecisions(db, { since: opts.since })
  const { items, purged, uncategorised } = decisionItems(decided)
  // @NOTE ten: a council's few dozen decisions must be able to move a model trained on some
  // 14,000 in-domain comments (each counting 3) and the public sets
  const council = councilExamples(items, opts.weight ?? 10)
  if (council.length === 0) {
    // @NOTE a "council model" without council decisions would only be the shipped one retrained
    throw new ConfigError(
      `no moderator decisions to learn from yet (${decided.length} found, ${purged} with their text purged by retention, ${uncategorised} removals with no category named)`,
    )
  }
  const publicData = opts.publicData === undefined ? defaultPublicData() : opts.publicData
  const path = join(opts.outDir, 'council.wgm')
  const card = opts.train?.quick ? null : join(opts.outDir, 'model-card.md')
  const { model } = trainModel({
    ...DEFAULTS,
    ...opts.train,
    publicData,
    council,
    out: path,
    card: card ?? undefined,
    metrics: card ? join(opts.outDir, 'metrics.json') : undefined,
    log: opts.log,
  })
  const byCategory = (model.header.training as { council?: Record<string, number> }).council ?? {}
  return {
    model: model.hash,
    path,
    card,
    examples: council.length,
    byCategory,
    purged,
    uncategorised,
    publicSets: publicData !== null,
  }
}

function defaultPublicData(): string | null {
  const dir = process.env.WARDGUARD_DATA_DIR ?? join(REPO_ROOT, '..', 'shared', 'data')
  return existsSync(dir) ? dir : null
}
