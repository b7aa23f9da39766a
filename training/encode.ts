import { contextOf, featurise } from '../src/moderation/model/features.js'
import { analyse } from '../src/moderation/normalise.js'
import type { Example } from './example.js'
import type { Encoded } from './sgd.js'

/** The model's features of each example, computed once and shared by every epoch. */
export function encode(examples: Example[], bits: number): Encoded[] {
  return examples.map((e) => {
    const a = analyse(e.text.slice(0, 4000))
    const f = featurise(a, contextOf(a), bits)
    return {
      bucket: f.bucket.slice(0, f.count),
      value: f.value.slice(0, f.count),
      targets: e.targets,
      weight: e.weight,
    }
  })
}
