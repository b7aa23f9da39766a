import { OUTPUTS } from '../src/moderation/model/heads.js'

/**
 * Multi-output logistic regression on hashed features, trained with AdaGrad: each output is its
 * own logistic model sharing the features; an output a source does not label (-1) adds no loss.
 * Deterministic: the order comes from a seeded generator, and JavaScript's float arithmetic is
 * the same on every machine.
 */
export type Encoded = {
  bucket: Int32Array
  value: Float32Array
  targets: Int8Array
  weight: number
}

export type TrainOptions = {
  bits: number
  epochs: number
  learningRate: number
  /** L2 strength, applied to the weights an example touches */
  l2: number
  seed: number
  /** per output: how much more a positive counts than a negative (class balance) */
  positiveWeight: Float32Array
  log?: (line: string) => void
}

export type Trained = { weights: Float32Array; bias: Float32Array }

export function train(data: Encoded[], o: TrainOptions): Trained {
  const k = OUTPUTS.length
  const weights = new Float32Array((1 << o.bits) * k)
  const squares = new Float32Array(weights.length)
  const bias = new Float32Array(k)
  const biasSquares = new Float32Array(k)
  const rand = mulberry32(o.seed)
  const order = Array.from(data.keys())
  const grad = new Float32Array(k)
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffle(order, rand)
    let loss = 0
    let seen = 0
    for (const n of order) {
      const ex = data[n]!
      const z = Float32Array.from(bias)
      for (let i = 0; i < ex.bucket.length; i++) {
        const base = ex.bucket[i]! * k
        const v = ex.value[i]!
        for (let out = 0; out < k; out++) z[out]! += v * weights[base + out]!
      }
      const step = outputStep(z, ex, o.positiveWeight, { bias, biasSquares, grad }, o.learningRate)
      loss += step.loss
      seen += step.seen
      if (step.seen === 0) continue
      adagradRows({ weights, squares, width: k, mask: -1 }, ex, grad, o.l2, o.learningRate)
    }
    o.log?.(`epoch ${epoch + 1}/${o.epochs}: mean loss ${(loss / Math.max(1, seen)).toFixed(4)}`)
  }
  return { weights, bias }
}

/** A table with one row of `width` weights per feature bucket (`bucket & mask`), and AdaGrad's sums. */
export type Rows = { weights: Float32Array; squares: Float32Array; width: number; mask: number }

/**
 * AdaGrad's step for one example on a table of rows: each feature's row moves against
 * `grad` (one entry per column; 0 skips it) times the feature's value, with L2.
 */
export function adagradRows(t: Rows, ex: Encoded, grad: Float32Array, l2: number, rate: number) {
  for (let i = 0; i < ex.bucket.length; i++) {
    const base = (ex.bucket[i]! & t.mask) * t.width
    const v = ex.value[i]!
    for (let c = 0; c < t.width; c++) {
      const g0 = grad[c]!
      if (g0 === 0) continue
      const j = base + c
      const g = g0 * v + l2 * t.weights[j]!
      t.squares[j]! += g * g
      t.weights[j]! -= (rate * g) / Math.sqrt(t.squares[j]! + 1e-8)
    }
  }
}

/** What the output step updates in place: the biases, their AdaGrad sums, each output's gradient. */
export type OutputState = { bias: Float32Array; biasSquares: Float32Array; grad: Float32Array }

/**
 * The outputs' step for one example, given its logits `z`: each labelled output's gradient of
 * the weighted log loss into `grad` (0 where the example does not label it), and the biases'
 * AdaGrad step. Returns the loss and how many outputs were labelled (0: nothing to learn).
 */
export function outputStep(
  z: ArrayLike<number>,
  ex: Encoded,
  positiveWeight: Float32Array,
  s: OutputState,
  rate: number,
): { loss: number; seen: number } {
  let loss = 0
  let seen = 0
  for (let out = 0; out < s.grad.length; out++) {
    const y = ex.targets[out]!
    if (y < 0) {
      s.grad[out] = 0
      continue
    }
    const p = 1 / (1 + Math.exp(-z[out]!))
    const w = ex.weight * (y === 1 ? positiveWeight[out]! : 1)
    s.grad[out] = (p - y) * w
    loss -= w * Math.log(y === 1 ? Math.max(p, 1e-7) : Math.max(1 - p, 1e-7))
    seen++
    s.biasSquares[out]! += s.grad[out]! * s.grad[out]!
    s.bias[out]! -= (rate * s.grad[out]!) / Math.sqrt(s.biasSquares[out]! + 1e-8)
  }
  return { loss, seen }
}

/** A small seeded generator (mulberry32): the same order on every run and machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function shuffle(a: number[], rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    const t = a[i]!
    a[i] = a[j]!
    a[j] = t
  }
}
