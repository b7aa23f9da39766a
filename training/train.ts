/**
 * npm run train [-- --seed N --bits N --epochs N --out FILE]
 * Trains Wardguard's model from the public sets and the in-domain comments, tunes each head's
 * thresholds on the validation split only, and writes the model file and its metrics. Seeded:
 * the same data and options give the same weights.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { OUTPUTS } from '../src/moderation/model/heads.js'
import { scoreFeatures } from '../src/moderation/model/infer.js'
import { type Model, writeModel } from '../src/moderation/model/weights.js'
import { loadPolicy, withModel } from '../src/moderation/policy.js'
import { REPO_ROOT } from '../src/moderation/repo-root.js'
import { encode, featuresOf } from './encode.js'
import type { Example } from './example.js'
import { headMetrics } from './metrics.js'
import { modelCard, type TrainingReport } from './model-card.js'
import { train } from './sgd.js'
import { loadInDomain } from './sources/in-domain.js'
import { loadPublic, PUBLIC_SOURCES } from './sources/public.js'
import {
  cacheViews,
  decisionRates,
  defaultThresholds,
  tuneThresholds,
  utilityAt,
} from './thresholds.js'

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '20261204' },
    bits: { type: 'string', default: '20' },
    epochs: { type: 'string', default: '10' },
    rate: { type: 'string', default: '0.08' },
    l2: { type: 'string', default: '0.000001' },
    'in-domain-weight': { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: join(REPO_ROOT, 'config', 'model', 'wardguard.wgm') },
    metrics: { type: 'string', default: join(REPO_ROOT, 'training', 'metrics.json') },
    card: { type: 'string', default: join(REPO_ROOT, 'docs', 'model-card.md') },
  },
})

const log = (line: string) => process.stderr.write(`train: ${line}\n`)
const started = Date.now()
const seed = Number(args.seed)
const bits = Number(args.bits)
const dataDir = process.env.WARDGUARD_DATA_DIR ?? join(REPO_ROOT, '..', 'shared', 'data')

const trainable = new Set(PUBLIC_SOURCES.filter((s) => s.trains).map((s) => s.name))
const examples: Example[] = [
  ...loadPublic(dataDir, String(seed)),
  ...loadInDomain(
    join(REPO_ROOT, 'training', 'data', 'in-domain'),
    String(seed),
    Number(args['in-domain-weight']),
  ),
]
const training = examples.filter(
  (e) => e.split === 'train' && (trainable.has(e.source) || e.source === 'in-domain'),
)
log(`${examples.length} examples, ${training.length} to train on`)

// @NOTE the policy without its model: its allow-list shapes the features, as in moderate()
const base = loadPolicy(undefined, { model: false })
const encoded = encode(training, base, bits)
log(`features computed in ${((Date.now() - started) / 1000).toFixed(1)} s`)
const trainStart = Date.now()

const positiveWeight = new Float32Array(OUTPUTS.length)
OUTPUTS.forEach((_, o) => {
  let pos = 0
  let neg = 0
  for (const e of training) {
    if (e.targets[o] === 1) pos += e.weight
    if (e.targets[o] === 0) neg += e.weight
  }
  positiveWeight[o] = pos ? Math.min(8, Math.max(1, Math.sqrt(neg / pos))) : 1
})

const trained = train(encoded, {
  bits,
  epochs: Number(args.epochs),
  learningRate: Number(args.rate),
  l2: Number(args.l2),
  seed,
  positiveWeight,
  log,
})

log(`trained in ${((Date.now() - trainStart) / 1000).toFixed(1)} s`)
const out = resolve(args.out)
mkdirSync(dirname(out), { recursive: true })
const header = {
  bits,
  thresholds: defaultThresholds(),
  training: {
    seed,
    bits,
    epochs: Number(args.epochs),
    learningRate: Number(args.rate),
    l2: Number(args.l2),
    inDomainWeight: Number(args['in-domain-weight']),
    examples: training.length,
    bySource: countBy(training, (e) => e.source),
  },
}
let model: Model = writeModel(out, trained.weights, trained.bias, header)

// thresholds: tuned on the in-domain validation split, with the rules in the loop
const policy = withModel(base, model)
const validation = examples.filter((e) => e.source === 'in-domain' && e.split === 'val')
const tuning = tuneThresholds(model, policy, validation, log)
const validationRates = decisionRates(cacheViews(validation, policy, model), policy, tuning)
log(`validation: ${validationRates}`)
model = writeModel(out, trained.weights, trained.bias, { ...header, ...tuning })
log(`wrote ${out} (${model.hash})`)
if (args.quick) process.exit(0)

// metrics per source and split, written for the model card and `npm run eval`
const tuned = withModel(base, model)
const report: TrainingReport = {
  model: model.hash,
  seconds: 0,
  validation: `${validationRates} (utility ${utilityAt(cacheViews(validation, tuned, model), tuned, tuning).toFixed(3)})`,
  heads: {},
  counts: {},
}
for (const source of [...new Set(examples.map((e) => e.source))]) {
  for (const split of ['val', 'test'] as const) {
    const part = examples.filter((e) => e.source === source && e.split === split)
    if (part.length === 0) continue
    const probabilities = part.map((e) =>
      scoreFeatures(model, featuresOf(e.text, base, model.bits)),
    )
    report.heads[`${source}/${split}`] = headMetrics(part, probabilities, model.thresholds)
  }
}
report.seconds = Math.round((Date.now() - started) / 1000)
writeFileSync(args.metrics, `${JSON.stringify(report, null, 2)}\n`)
writeFileSync(args.card, modelCard(model, report))
log(`done in ${report.seconds} s; metrics in ${args.metrics}`)

function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1
  return out
}
