import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Command } from 'commander'
import type { Db } from '../../audit/index.js'
import { ConfigError } from '../../errors.js'
import { REPO_ROOT } from '../../moderation/repo-root.js'
import { loadServiceConfig } from '../load-service-config.js'
import { parseSince } from './since.js'

type TrainWithDecisions = (
  db: Db,
  opts: { outDir: string; since?: string; weight?: number; log?: (line: string) => void },
) => Promise<{
  model: string
  path: string
  card: string | null
  examples: number
  byCategory: Record<string, number>
  purged: number
  uncategorised: number
  publicSets: boolean
}>

/** `wardguard train --with-decisions`: a council model from its moderators' own decisions. */
export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description(
      "train this council's own model: Wardguard's training material plus your moderators' decisions (names and numbers masked; it stays on this machine)",
    )
    .requiredOption('--with-decisions', 'add the keep / hide / remove decisions in the audit store')
    .option('--since <age>', 'only decisions made within this long, e.g. 90d (default: all kept)')
    .option(
      '--weight <n>',
      "how much one council decision counts against one shipped item (default: the training code's, 10)",
    )
    .option('--out <dir>', 'where to write the model and its card (default: DATA_DIR/model)')
    .action(async (opts: { since?: string; weight?: string; out?: string }) => {
      const config = await loadServiceConfig()
      // @NOTE no default here: training/with-decisions.ts holds it, so it is set in one place
      const weight = opts.weight === undefined ? undefined : Number(opts.weight)
      if (weight !== undefined && (!Number.isFinite(weight) || weight <= 0 || weight > 100)) {
        throw new ConfigError('--weight: a number above 0 and at most 100')
      }
      const runner = path.join(REPO_ROOT, 'training', 'with-decisions.ts')
      // @NOTE the training code ships with the source, not in the compiled Docker image
      if (!existsSync(runner)) {
        throw new ConfigError(
          'train: the training code is not here (the Docker image runs without it); run `npx wardguard train --with-decisions` from a checkout, against the same DATA_DIR or DATABASE_URL',
        )
      }
      // @NOTE typed here, not imported: the compiled build covers src/ alone
      const { trainWithDecisions } = (await import(pathToFileURL(runner).href)) as {
        trainWithDecisions: TrainWithDecisions
      }
      const { withAuditStore } = await import('../../web/open-store.js')
      const outDir = path.resolve(opts.out ?? path.join(config.env.DATA_DIR, 'model'))
      const since = opts.since ? parseSince(opts.since).toISOString() : undefined
      const log = (line: string) => process.stderr.write(`train: ${line}\n`)
      const result = await withAuditStore(config.env, (db) =>
        trainWithDecisions(db, { outDir, since, weight, log }),
      )
      const counts = Object.entries(result.byCategory)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ')
      process.stdout.write(
        [
          `council model ${result.model} written to ${result.path}`,
          `council examples: ${result.examples}${counts ? ` (${counts})` : ''}`,
          `left out: ${result.purged} whose text retention has purged, ${result.uncategorised} removals with no category named`,
          result.publicSets
            ? 'trained with the public sets and the shipped in-domain comments'
            : 'the public sets were not found (WARDGUARD_DATA_DIR): trained on the shipped in-domain comments and your decisions',
          result.card ? `model card: ${result.card}` : '',
          '',
          'Before it acts, see what it would change:',
          `  npx wardguard policy diff --model ${result.path}`,
          `Then use it: set WARDGUARD_MODEL=${result.path} and restart (or shadow it first: wardguard policy shadow).`,
          '',
        ].join('\n'),
      )
    })
}
