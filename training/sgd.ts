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
      let any = false
      for (let out = 0; out < k; out++) {
        const y = ex.targets[out]!
        if (y < 0) {
          grad[out] = 0
          continue
        }
        any = true
        const p = 1 / (1 + Math.exp(-z[out]!))
        const w = ex.weight * (y === 1 ? o.positiveWeight[out]! : 1)
        grad[out] = (p - y) * w
        loss -= w * Math.log(y === 1 ? Math.max(p, 1e-7) : Math.max(1 - p, 1e-7))
        seen++
        biasSquares[out]! += grad[out]! * grad[out]!
        bias[out]! -= (o.learningRate * grad[out]!) / Math.sqrt(biasSquares[out]! + 1e-8)
      }
      if (!any) continue
      for (let i = 0; i < ex.bucket.length; i++) {
        const base = ex.bucket[i]! * k
        const v = ex.value[i]!
        for (let out = 0; out < k; out++) {
          const g0 = grad[out]!
          if (g0 === 0) continue
          const j = base + out
          const g = g0 * v + o.l2 * weights[j]!
          squares[j]! += g * g
          weights[j]! -= (o.learningRate * g) / Math.sqrt(squares[j]! + 1e-8)
        }
      }
    }
    o.log?.(`epoch ${epoch + 1}/${o.epochs}: mean loss ${(loss / Math.max(1, seen)).toFixed(4)}`)
  }
  return { weights, bias }
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

function shuffle(a: number[], rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    const t = a[i]!
    a[i] = a[j]!
    a[j] = t
  }
}
