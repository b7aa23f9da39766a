import type { Features } from './features.js'
import type { Model } from './weights.js'

/** The model's probability for every output of one comment's features. */
export function scoreFeatures(model: Model, f: Features): Float32Array {
  const k = model.outputs
  const sums = new Float32Array(k)
  const w = model.weights
  for (let i = 0; i < f.count; i++) {
    const base = f.bucket[i]! * k
    const v = f.value[i]!
    for (let o = 0; o < k; o++) sums[o]! += v * w[base + o]!
  }
  const out = new Float32Array(k)
  for (let o = 0; o < k; o++) out[o] = sigmoid(model.bias[o]! + sums[o]! * model.scale[o]!)
  return out
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x))
}

/** How much each feature pushed one output up (positive) or down, in logit units. */
export function contributions(model: Model, f: Features, output: number): Float32Array {
  const k = model.outputs
  const out = new Float32Array(f.count)
  const scale = model.scale[output]!
  for (let i = 0; i < f.count; i++) {
    out[i] = f.value[i]! * model.weights[f.bucket[i]! * k + output]! * scale
  }
  return out
}
