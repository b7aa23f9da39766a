import { OUTPUTS } from '../src/moderation/model/heads.js'
import type { HiddenFloat } from '../src/moderation/model/weights.js'
import {
  adagradRows,
  type Encoded,
  mulberry32,
  outputStep,
  shuffle,
  type TrainOptions,
} from './sgd.js'

/**
 * Wide & deep: the same multi-output logistic regression as sgd.ts (wide), plus one hidden layer
 * of ReLU units over the same hashed features (an embedding bag, hashed to `hiddenBits`) whose
 * activations add to every output's logit, so that conjunctions ("names a councillor AND alleges
 * a crime") can be learnt. AdaGrad for every parameter, one seeded order, deterministic.
 * The embedding starts at zero (a bucket never seen in training adds nothing at inference); the
 * output layer starts small and random (seeded), which is what tells the units apart.
 */
export type WideDeepOptions = TrainOptions & {
  units: number
  hiddenBits: number
  /** learning rate of the hidden layer's parameters */
  hiddenRate: number
  /** the output layer's initial spread */
  init: number
}

export type WideDeep = { weights: Float32Array; bias: Float32Array; hidden: HiddenFloat }

export function trainWideDeep(data: Encoded[], o: WideDeepOptions): WideDeep {
  const k = OUTPUTS.length
  const U = o.units
  const hmask = (1 << o.hiddenBits) - 1
  const weights = new Float32Array((1 << o.bits) * k)
  const squares = new Float32Array(weights.length)
  const bias = new Float32Array(k)
  const biasSquares = new Float32Array(k)
  const emb = new Float32Array((1 << o.hiddenBits) * U)
  const embSquares = new Float32Array(emb.length)
  const b1 = new Float32Array(U).fill(0.1)
  const b1Squares = new Float32Array(U)
  const w2 = new Float32Array(k * U)
  const w2Squares = new Float32Array(k * U)
  const initRand = mulberry32(o.seed ^ 0x5f3759df)
  for (let i = 0; i < w2.length; i++) w2[i] = (initRand() * 2 - 1) * o.init
  const rand = mulberry32(o.seed)
  const order = Array.from(data.keys())
  const grad = new Float32Array(k)
  const acts = new Float32Array(U)
  const hgrad = new Float32Array(U)
  const lr = o.learningRate
  const hr = o.hiddenRate
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffle(order, rand)
    let loss = 0
    let seen = 0
    for (const n of order) {
      const ex = data[n]!
      const z = Float64Array.from(bias)
      acts.set(b1)
      for (let i = 0; i < ex.bucket.length; i++) {
        const base = ex.bucket[i]! * k
        const hb = (ex.bucket[i]! & hmask) * U
        const v = ex.value[i]!
        for (let out = 0; out < k; out++) z[out]! += v * weights[base + out]!
        for (let j = 0; j < U; j++) acts[j]! += v * emb[hb + j]!
      }
      for (let j = 0; j < U; j++) {
        const a = acts[j]!
        if (a <= 0) continue
        for (let out = 0; out < k; out++) z[out]! += w2[out * U + j]! * a
      }
      const step = outputStep(z, ex, o.positiveWeight, { bias, biasSquares, grad }, lr)
      loss += step.loss
      seen += step.seen
      if (step.seen === 0) continue
      // hidden: gradient at each active unit, then the output layer's step
      for (let j = 0; j < U; j++) {
        const a = acts[j]!
        if (a <= 0) {
          hgrad[j] = 0
          continue
        }
        let g = 0
        for (let out = 0; out < k; out++) {
          const go = grad[out]!
          if (go === 0) continue
          const idx = out * U + j
          g += go * w2[idx]!
          const gw = go * a + o.l2 * w2[idx]!
          w2Squares[idx]! += gw * gw
          w2[idx]! -= (hr * gw) / Math.sqrt(w2Squares[idx]! + 1e-8)
        }
        hgrad[j] = g
        b1Squares[j]! += g * g
        b1[j]! -= (hr * g) / Math.sqrt(b1Squares[j]! + 1e-8)
      }
      // @NOTE the two tables never read each other, so one pass each equals one interleaved pass
      adagradRows({ weights, squares, width: k, mask: -1 }, ex, grad, o.l2, lr)
      adagradRows({ weights: emb, squares: embSquares, width: U, mask: hmask }, ex, hgrad, o.l2, hr)
    }
    let active = 0
    for (let j = 0; j < U; j++) if (b1[j]! > -1) active++
    o.log?.(
      `epoch ${epoch + 1}/${o.epochs}: mean loss ${(loss / Math.max(1, seen)).toFixed(4)} (${active} units)`,
    )
  }
  return { weights, bias, hidden: { units: U, bits: o.hiddenBits, emb, b1, w2 } }
}
