import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { z } from 'zod'
import { ConfigError } from '../../errors.js'
import { HEADS, type Head, OUTPUTS } from './heads.js'

/**
 * The trained model on disk: `WGM1`, a JSON header's length (uint32, little-endian), the header,
 * then the weights as int8, bucket-major (every output of one bucket side by side, so scoring a
 * feature reads one short run of memory). Each output has its own scale back to a float.
 */
const MAGIC = 'WGM1'

const ThresholdsSchema = z.object({
  review: z.number().min(0).max(1),
  hide: z.number().min(0).max(1),
})

export const ModelHeaderSchema = z.object({
  format: z.literal(1),
  bits: z.number().int().min(10).max(24),
  outputs: z.array(z.string()),
  bias: z.array(z.number()),
  scale: z.array(z.number().positive()),
  thresholds: z.record(z.enum(HEADS), ThresholdsSchema),
  /** from this criticism score, a weak (review-level) insult, allegation or threat call is dropped */
  criticismVeto: z.number().min(0).max(1).default(1),
  /**
   * optional hidden layer beside the linear part (wide & deep): `units` ReLUs over the same
   * features hashed to `bits`, stored after the linear weights as int8, bucket-major, one scale
   * per unit; `w2` (output-major, outputs × units) adds each unit to each output's logit
   */
  hidden: z
    .object({
      units: z.number().int().min(1).max(256),
      bits: z.number().int().min(10).max(24),
      scale: z.array(z.number().positive()),
      b1: z.array(z.number()),
      w2: z.array(z.number()),
    })
    .optional(),
  /** training facts for the model card: seed, sources, counts, when */
  training: z.record(z.string(), z.json()),
})
export type ModelHeader = z.infer<typeof ModelHeaderSchema>

export type Model = {
  bits: number
  outputs: number
  bias: Float32Array
  scale: Float32Array
  weights: Int8Array
  thresholds: Record<Head, { review: number; hide: number }>
  criticismVeto: number
  hidden?: Hidden
  header: ModelHeader
  /** sha256 prefix of the file: part of the policy version on every decision */
  hash: string
}

export type Hidden = {
  units: number
  mask: number
  /** int8 as stored, one scale per unit (dequantising at load measured no faster, 4× the memory) */
  emb: Int8Array
  scale: Float32Array
  b1: Float32Array
  w2: Float32Array
}

/** A hidden layer as training holds it (floats), for writeModel. */
export type HiddenFloat = {
  units: number
  bits: number
  emb: Float32Array
  b1: Float32Array
  w2: Float32Array
}

const loaded = new Map<string, Model>()

/** Reads a model file (once per path); ConfigError says what is wrong with it. */
export function loadModel(path: string): Model {
  const known = loaded.get(path)
  if (known) return known
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (err) {
    throw new ConfigError(`model: cannot read ${path} (${(err as NodeJS.ErrnoException).code})`)
  }
  const model = decodeModel(bytes, path)
  loaded.set(path, model)
  return model
}

export function decodeModel(bytes: Buffer, where = 'model'): Model {
  if (bytes.subarray(0, 4).toString('latin1') !== MAGIC) {
    throw new ConfigError(`${where}: not a Wardguard model file`)
  }
  const length = bytes.readUInt32LE(4)
  let header: ModelHeader
  try {
    header = ModelHeaderSchema.parse(JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')))
  } catch (err) {
    throw new ConfigError(`${where}: the model header is invalid (${(err as Error).message})`)
  }
  if (header.outputs.join() !== OUTPUTS.join()) {
    throw new ConfigError(`${where}: the model's outputs do not match this version of Wardguard`)
  }
  const k = header.outputs.length
  const size = (1 << header.bits) * k
  const h = header.hidden
  // @NOTE a layer whose parts disagree in size would score NaN without a word: refuse it here
  if (h && (h.scale.length !== h.units || h.b1.length !== h.units || h.w2.length !== h.units * k)) {
    throw new ConfigError(`${where}: the hidden layer's sizes do not match its ${h.units} units`)
  }
  const hiddenSize = h ? (1 << h.bits) * h.units : 0
  const body = bytes.subarray(8 + length)
  if (body.length !== size + hiddenSize) {
    throw new ConfigError(`${where}: the weights are cut short`)
  }
  const hidden: Hidden | undefined = h && {
    units: h.units,
    mask: (1 << h.bits) - 1,
    emb: new Int8Array(body.buffer, body.byteOffset + size, hiddenSize),
    scale: Float32Array.from(h.scale),
    b1: Float32Array.from(h.b1),
    w2: Float32Array.from(h.w2),
  }
  return {
    ...(hidden ? { hidden } : {}),
    bits: header.bits,
    outputs: k,
    bias: Float32Array.from(header.bias),
    scale: Float32Array.from(header.scale),
    weights: new Int8Array(body.buffer, body.byteOffset, size),
    thresholds: header.thresholds as Model['thresholds'],
    criticismVeto: header.criticismVeto,
    header,
    hash: createHash('sha256').update(bytes).digest('hex').slice(0, 16),
  }
}

/**
 * Quantises float weights (bucket-major, `outputs` per bucket) to int8 with one scale per
 * output (a hidden layer's embedding likewise, one scale per unit), and writes the file. Returns
 * the decoded model, exactly as inference will see it.
 */
export function writeModel(
  path: string,
  weights: Float32Array,
  bias: Float32Array,
  header: Omit<
    ModelHeader,
    'format' | 'outputs' | 'bias' | 'scale' | 'criticismVeto' | 'hidden'
  > & {
    criticismVeto?: number
  },
  hidden?: HiddenFloat,
): Model {
  const { q, scale } = quantise(weights, OUTPUTS.length)
  const deep = hidden && { ...hidden, ...quantise(hidden.emb, hidden.units) }
  const full: ModelHeader = {
    format: 1,
    criticismVeto: 1,
    ...header,
    outputs: [...OUTPUTS],
    bias: Array.from(bias),
    scale,
    ...(deep
      ? {
          hidden: {
            units: deep.units,
            bits: deep.bits,
            scale: deep.scale,
            b1: Array.from(deep.b1),
            w2: Array.from(deep.w2),
          },
        }
      : {}),
  }
  const json = Buffer.from(JSON.stringify(full), 'utf8')
  const head = Buffer.alloc(8)
  head.write(MAGIC, 0, 'latin1')
  head.writeUInt32LE(json.length, 4)
  const bytes = Buffer.concat([
    head,
    json,
    Buffer.from(q.buffer),
    ...(deep ? [Buffer.from(deep.q.buffer)] : []),
  ])
  writeFileSync(path, bytes)
  loaded.delete(path)
  return decodeModel(bytes, path)
}

/** Row-major floats, `width` columns, to int8 with one scale per column (its largest |value| / 127). */
function quantise(values: Float32Array, width: number): { q: Int8Array; scale: number[] } {
  const max = new Float32Array(width)
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]!)
    if (v > max[i % width]!) max[i % width] = v
  }
  const scale = Array.from(max, (m) => (m > 0 ? m / 127 : 1))
  const q = new Int8Array(values.length)
  for (let i = 0; i < values.length; i++) {
    q[i] = Math.max(-127, Math.min(127, Math.round(values[i]! / scale[i % width]!)))
  }
  return { q, scale }
}
