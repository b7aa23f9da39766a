/**
 * npm run train [-- --seed N --order-seed N --bits N --epochs N --units N --out FILE]
 * Trains Wardguard's model from the public sets and the in-domain comments, tunes each head's
 * thresholds on the validation split only, and writes the model file and its metrics. Seeded:
 * the same data and options give the same weights. A council's own model (its moderators'
 * decisions added) is trained by `wardguard train --with-decisions`, through the same function.
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { REPO_ROOT } from '../src/moderation/repo-root.js'
import { DEFAULTS, trainModel } from './run.js'

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: String(DEFAULTS.seed) },
    'order-seed': { type: 'string' },
    bits: { type: 'string', default: String(DEFAULTS.bits) },
    epochs: { type: 'string', default: String(DEFAULTS.epochs) },
    rate: { type: 'string', default: String(DEFAULTS.rate) },
    l2: { type: 'string', default: '0.000001' },
    'in-domain-weight': { type: 'string', default: String(DEFAULTS.inDomainWeight) },
    // @NOTE --units 0 trains the linear model alone
    units: { type: 'string', default: String(DEFAULTS.units) },
    'hidden-bits': { type: 'string', default: String(DEFAULTS.hiddenBits) },
    'hidden-rate': { type: 'string', default: String(DEFAULTS.hiddenRate) },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: join(REPO_ROOT, 'config', 'model', 'wardguard.wgm') },
    metrics: { type: 'string', default: join(REPO_ROOT, 'training', 'metrics.json') },
    card: { type: 'string', default: join(REPO_ROOT, 'docs', 'model-card.md') },
  },
})

trainModel({
  seed: Number(args.seed),
  ...(args['order-seed'] === undefined ? {} : { orderSeed: Number(args['order-seed']) }),
  bits: Number(args.bits),
  epochs: Number(args.epochs),
  rate: Number(args.rate),
  l2: Number(args.l2),
  inDomainWeight: Number(args['in-domain-weight']),
  units: Number(args.units),
  hiddenBits: Number(args['hidden-bits']),
  hiddenRate: Number(args['hidden-rate']),
  publicData: process.env.WARDGUARD_DATA_DIR ?? join(REPO_ROOT, '..', 'shared', 'data'),
  quick: args.quick,
  out: args.out,
  metrics: args.metrics,
  card: args.card,
  log: (line) => process.stderr.write(`train: ${line}\n`),
})
