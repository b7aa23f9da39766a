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
  header: ModelHeader
  /** sha256 prefix of the file: part of the policy version on every decision */
  hash: string
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
  const body = bytes.subarray(8 + length)
  if (body.length !== size) throw new ConfigError(`${where}: the weights are cut short`)
  return {
    bits: header.bits,
    outputs: k,
    bias: Float32Array.from(header.bias),
    scale: Float32Array.from(header.scale),
    weights: new Int8Array(body.buffer, body.byteOffset, body.length),
    thresholds: header.thresholds as Model['thresholds'],
    criticismVeto: header.criticismVeto,
    header,
    hash: createHash('sha256').update(bytes).digest('hex').slice(0, 16),
  }
}

/**
 * Quantises float weights (bucket-major, `outputs` per bucket) to int8 with one scale per
 * output, and writes the file. Returns the decoded model, exactly as inference will see it.
 */
export function writeModel(
  path: string,
  weights: Float32Array,
  bias: Float32Array,
  header: Omit<ModelHeader, 'format' | 'outputs' | 'bias' | 'scale' | 'criticismVeto'> & {
    criticismVeto?: number
  },
): Model {
  const k = OUTPUTS.length
  const max = new Float32Array(k)
  for (let i = 0; i < weights.length; i++) {
    const o = i % k
    const v = Math.abs(weights[i]!)
    if (v > max[o]!) max[o] = v
  }
  const scale = Array.from(max, (m) => (m > 0 ? m / 127 : 1))
  const q = new Int8Array(weights.length)
  for (let i = 0; i < weights.length; i++) {
    q[i] = Math.max(-127, Math.min(127, Math.round(weights[i]! / scale[i % k]!)))
  }
  const full: ModelHeader = {
    format: 1,
    criticismVeto: 1,
    ...header,
    outputs: [...OUTPUTS],
    bias: Array.from(bias),
    scale,
  }
  const json = Buffer.from(JSON.stringify(full), 'utf8')
  const head = Buffer.alloc(8)
  head.write(MAGIC, 0, 'latin1')
  head.writeUInt32LE(json.length, 4)
  const bytes = Buffer.concat([head, json, Buffer.from(q.buffer)])
  writeFileSync(path, bytes)
  loaded.delete(path)
  return decodeModel(bytes, path)
}
