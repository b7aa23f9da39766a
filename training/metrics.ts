import { HEADS, type Head, outputIndex } from '../src/moderation/model/heads.js'
import type { Example } from './example.js'

/** Scores of one head on the labelled examples of one source. */
export type HeadMetric = {
  head: Head
  n: number
  positives: number
  auc: number
  precision: number
  recall: number
  f1: number
}

/** Area under the ROC curve: the chance a random positive outscores a random negative. */
export function auc(scores: number[], labels: number[]): number {
  const pairs = scores.map((s, i) => [s, labels[i]!] as const).sort((a, b) => a[0] - b[0])
  let rank = 0
  let posRanks = 0
  let pos = 0
  for (let i = 0; i < pairs.length; ) {
    let j = i
    while (j < pairs.length && pairs[j]![0] === pairs[i]![0]) j++
    const mid = (rank + 1 + rank + (j - i)) / 2
    for (let k = i; k < j; k++)
      if (pairs[k]![1] === 1) {
        posRanks += mid
        pos++
      }
    rank += j - i
    i = j
  }
  const neg = pairs.length - pos
  if (pos === 0 || neg === 0) return Number.NaN
  return (posRanks - (pos * (pos + 1)) / 2) / (pos * neg)
}

/**
 * Per head, on examples that label it: AUC of `any`, and precision/recall of the head's review
 * threshold. `probabilities[i]` are the model's outputs for `examples[i]`.
 */
export function headMetrics(
  examples: Example[],
  probabilities: Float32Array[],
  thresholds: Record<Head, { review: number }>,
): HeadMetric[] {
  const out: HeadMetric[] = []
  for (const head of HEADS) {
    const o = outputIndex(head, 'any')
    const scores: number[] = []
    const labels: number[] = []
    examples.forEach((e, i) => {
      const y = e.targets[o]!
      if (y < 0) return
      scores.push(probabilities[i]![o]!)
      labels.push(y)
    })
    const positives = labels.filter((y) => y === 1).length
    if (positives === 0 || positives === labels.length) continue
    let tp = 0
    let fp = 0
    scores.forEach((s, i) => {
      if (s < thresholds[head].review) return
      if (labels[i] === 1) tp++
      else fp++
    })
    const precision = tp + fp ? tp / (tp + fp) : 0
    const recall = tp / positives
    out.push({
      head,
      n: labels.length,
      positives,
      auc: auc(scores, labels),
      precision,
      recall,
      f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    })
  }
  return out
}
