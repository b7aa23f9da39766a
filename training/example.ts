import {
  CRITICISM,
  type Head,
  type Level,
  OUTPUTS,
  outputIndex,
} from '../src/moderation/model/heads.js'

export type Split = 'train' | 'val' | 'test'

/**
 * One training or evaluation text with its targets per model output: 1, 0, or -1 where the
 * source says nothing about that output (its loss is masked).
 */
export type Example = {
  text: string
  source: string
  split: Split
  targets: Int8Array
  weight: number
  /** the expected decision, for sources labelled with the policy's decisions */
  decision?: 'allow' | 'review' | 'hide'
  /** in-domain tags or a public source's own class, for reports by kind */
  tags?: string[]
}

/** Targets with every output unknown. */
export function unknown(): Int8Array {
  return new Int8Array(OUTPUTS.length).fill(-1)
}

/**
 * Targets that say the text breaks nothing: every `any` output 0, and every `hide` output
 * unknown, since hide is learnt only among texts that do break the head (how bad, given bad).
 * Whether it is political criticism only the in-domain items say.
 */
export function clean(): Int8Array {
  const t = new Int8Array(OUTPUTS.length)
  OUTPUTS.forEach((o, i) => {
    if (o.endsWith('.hide') || o === CRITICISM) t[i] = -1
  })
  return t
}

export function set(t: Int8Array, head: Head, level: Level, value: 0 | 1): Int8Array {
  t[outputIndex(head, level)] = value
  return t
}

/** A head known to be broken (any = 1), and at hide level when `hide` says so (-1: unknown). */
export function flag(t: Int8Array, head: Head, hide: 0 | 1 | -1): Int8Array {
  t[outputIndex(head, 'any')] = 1
  t[outputIndex(head, 'hide')] = hide
  return t
}

/** A head known not to be broken at all (its hide output stays unknown: see clean). */
export function absent(t: Int8Array, head: Head): Int8Array {
  t[outputIndex(head, 'any')] = 0
  t[outputIndex(head, 'hide')] = -1
  return t
}
