import type { Features } from './features.js'
import type { Hidden, Model } from './weights.js'

/**
 * The model's probability for every output of one comment's features. `acts` are the hidden
 * units' inputs when the caller has them already (hiddenActivations), so explaining the call
 * later need not compute them again.
 */
export function scoreFeatures(
  model: Model,
  f: Features,
  acts: Float32Array | null = model.hidden ? hiddenActivations(model.hidden, f) : null,
): Float32Array {
  const k = model.outputs
  const sums = new Float32Array(k)
  const w = model.weights
  for (let i = 0; i < f.count; i++) {
    const base = f.bucket[i]! * k
    const v = f.value[i]!
    for (let o = 0; o < k; o++) sums[o]! += v * w[base + o]!
  }
  // @NOTE float64 logits: a linear model's scores stay bit-identical to before the hidden layer
  const logit = new Float64Array(k)
  for (let o = 0; o < k; o++) logit[o] = model.bias[o]! + sums[o]! * model.scale[o]!
  const h = model.hidden
  if (h && acts) {
    for (let j = 0; j < h.units; j++) {
      const a = acts[j]!
      if (a <= 0) continue
      for (let o = 0; o < k; o++) logit[o]! += h.w2[o * h.units + j]! * a
    }
  }
  const out = new Float32Array(k)
  for (let o = 0; o < k; o++) out[o] = sigmoid(logit[o]!)
  return out
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x))
}

/** Each hidden unit's input (bias included) for one comment; a unit is active above zero. */
export function hiddenActivations(h: Hidden, f: Features): Float32Array {
  const u = h.units
  const emb = h.emb
  const acts = new Float32Array(u)
  for (let i = 0; i < f.count; i++) {
    const base = (f.bucket[i]! & h.mask) * u
    const v = f.value[i]!
    for (let j = 0; j < u; j++) acts[j]! += v * emb[base + j]!
  }
  for (let j = 0; j < u; j++) acts[j] = h.b1[j]! + acts[j]! * h.scale[j]!
  return acts
}

/**
 * How much each feature pushed one output up (positive) or down, in logit units. With a hidden
 * layer the units active for this comment are linear in the features, so each feature's share
 * through them is exact too: what is left over is the biases alone.
 */
export function contributions(
  model: Model,
  f: Features,
  output: number,
  acts: Float32Array | null = model.hidden ? hiddenActivations(model.hidden, f) : null,
): Float32Array {
  const k = model.outputs
  const out = new Float32Array(f.count)
  const scale = model.scale[output]!
  for (let i = 0; i < f.count; i++) {
    out[i] = f.value[i]! * model.weights[f.bucket[i]! * k + output]! * scale
  }
  const h = model.hidden
  if (!h || !acts) return out
  // per active unit, what one unit of its stored input is worth to this output
  const units: number[] = []
  const gains: number[] = []
  for (let j = 0; j < h.units; j++) {
    if (acts[j]! <= 0) continue
    units.push(j)
    gains.push(h.w2[output * h.units + j]! * h.scale[j]!)
  }
  if (units.length === 0) return out
  for (let i = 0; i < f.count; i++) {
    const base = (f.bucket[i]! & h.mask) * h.units
    let sum = 0
    for (let n = 0; n < units.length; n++) sum += gains[n]! * h.emb[base + units[n]!]!
    out[i]! += f.value[i]! * sum
  }
  return out
}
