import { contextOf, type Features, featurise } from '../src/moderation/model/features.js'
import { allowMask } from '../src/moderation/moderate.js'
import { analyse } from '../src/moderation/normalise.js'
import type { Policy } from '../src/moderation/policy.js'
import type { Example } from './example.js'
import type { Encoded } from './sgd.js'

/** A text's model features, exactly as moderate() computes them under this policy's allow-list. */
export function featuresOf(text: string, policy: Policy, bits: number): Features {
  const a = analyse(text.slice(0, 4000))
  return featurise(a, contextOf(a, allowMask(a, policy)), bits)
}

/** The model's features of each example, computed once and shared by every epoch. */
export function encode(examples: Example[], policy: Policy, bits: number): Encoded[] {
  return examples.map((e) => {
    const f = featuresOf(e.text, policy, bits)
    return {
      bucket: f.bucket.slice(0, f.count),
      value: f.value.slice(0, f.count),
      targets: e.targets,
      weight: e.weight,
    }
  })
}
