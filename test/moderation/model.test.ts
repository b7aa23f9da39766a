import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contextOf, featurise } from '../../src/moderation/model/features.js'
import { HEADS, type Head, OUTPUTS, outputIndex } from '../../src/moderation/model/heads.js'
import { contributions, scoreFeatures } from '../../src/moderation/model/infer.js'
import { decodeModel, type Model, writeModel } from '../../src/moderation/model/weights.js'
import { moderate } from '../../src/moderation/moderate.js'
import { analyse } from '../../src/moderation/normalise.js'
import { loadPolicy, withModel } from '../../src/moderation/policy.js'
import { tempDir } from '../helpers/tmp.js'
import { policy } from './helpers.js'

/**
 * A model whose only opinion is its bias: every comment scores `p` on the heads given, so the
 * fusion rules (thresholds, contests, explanations) can be tested apart from what training
 * learnt.
 */
function constantModel(scores: Partial<Record<Head, number>>): Model {
  const tmp = tempDir('wardguard-model-')
  const logit = (p: number) => Math.log(p / (1 - p))
  const bias = new Float32Array(OUTPUTS.length).fill(logit(0.01))
  for (const [head, p] of Object.entries(scores) as [Head, number][]) {
    bias[outputIndex(head, 'any')] = logit(p)
    bias[outputIndex(head, 'hide')] = logit(p)
  }
  const thresholds = Object.fromEntries(HEADS.map((h) => [h, { review: 0.5, hide: 0.8 }]))
  const model = writeModel(
    join(tmp.dir, 'm.wgm'),
    new Float32Array((1 << 10) * OUTPUTS.length),
    bias,
    {
      bits: 10,
      thresholds: thresholds as Model['thresholds'],
      training: { note: 'test' },
    },
  )
  tmp.cleanup()
  return model
}

const decideWith = (model: Model, text: string) =>
  moderate({ text, platform: 'facebook' }, withModel(policy, model))

describe('the trained model beside the rules', () => {
  it('is loaded from the policy, and its hash is part of the policy version', () => {
    expect(policy.model).not.toBeNull()
    const other = withModel(policy, constantModel({}))
    expect(other.version).not.toBe(policy.version)
    expect(withModel(policy, null).version).not.toBe(policy.version)
  })

  it('reads the same weights back that it wrote', () => {
    const model = constantModel({ hate: 0.9 })
    const bytes = readFileSync(join(policy.source, '..', 'model', 'wardguard.wgm'))
    const committed = decodeModel(bytes)
    expect(committed.hash).toBe(policy.model?.hash)
    expect(model.bias[outputIndex('hate', 'any')]).toBeCloseTo(Math.log(0.9 / 0.1), 5)
  })

  it('hides a clear call, and sends a middling one to a person', () => {
    const text = 'Travellers at the Marsh Lane site again'
    expect(decideWith(constantModel({ hate: 0.95 }), text).action).toBe('hide')
    expect(decideWith(constantModel({ hate: 0.6 }), text).action).toBe('review')
    expect(decideWith(constantModel({}), 'The bins were late again on Tuesday').action).toBe(
      'allow',
    )
  })

  it('never hides hate that the comment quotes to condemn, disowns, or aims at no protected group', () => {
    const sure = constantModel({ hate: 0.99 })
    for (const text of [
      'Someone sprayed "immigrants out" on the community centre. Disgusting, and I reported it.',
      "I'd never say immigrants are ruining this town, whatever the leaflet claims.",
      'The planning committee are ruining this town',
    ]) {
      const d = decideWith(sure, text)
      expect(d.action, text).toBe('review')
      expect(d.reasons.find((r) => r.rule === 'model.hate')?.explanation).toMatch(
        /a person should judge/,
      )
    }
  })

  it('never hides an insult aimed at a councillor on the model alone', () => {
    const d = decideWith(
      constantModel({ harassment: 0.99 }),
      'Cllr Moss is a clueless waste of space',
    )
    expect(d.action).toBe('review')
  })

  it('explains a model call with the score and the words the author typed', () => {
    const d = moderate(
      { text: 'Ɓloody 1mmigrants are vermin and should be sent back', platform: 'x' },
      policy,
    )
    const reason = d.reasons.find((r) => r.rule.startsWith('model.'))
    expect(reason).toBeDefined()
    expect(reason?.explanation).toMatch(/\d+% sure/)
    expect('Ɓloody 1mmigrants are vermin and should be sent back').toContain(reason?.match)
  })

  it("explains a call of the hidden layer too: the words' shares add up to the score", () => {
    const model = policy.model as Model
    const h = model.hidden
    expect(h, 'the shipped model has a hidden layer').toBeDefined()
    if (!h) return
    for (const text of [
      'Cllr Dunmore pocketed the grant money for the youth club, everyone knows it',
      'Thanks for fixing the lights on Mill Lane so quickly',
    ]) {
      const a = analyse(text)
      const f = featurise(a, contextOf(a), model.bits)
      const out = outputIndex('defamation', 'any')
      const p = scoreFeatures(model, f)[out] as number
      // what the biases add: the output's own, and each active unit's through its bias
      const acts = new Float64Array(h.units)
      for (let i = 0; i < f.count; i++) {
        for (let j = 0; j < h.units; j++) {
          acts[j]! += f.value[i]! * h.emb[((f.bucket[i] as number) & h.mask) * h.units + j]!
        }
      }
      let rest = model.bias[out] as number
      for (let j = 0; j < h.units; j++) {
        const act = (h.b1[j] as number) + acts[j]! * (h.scale[j] as number)
        if (act > 0) rest += (h.w2[out * h.units + j] as number) * (h.b1[j] as number)
      }
      const shares = contributions(model, f, out).reduce((sum, c) => sum + c, 0)
      expect(rest + shares).toBeCloseTo(Math.log(p / (1 - p)), 3)
    }
  })

  it('refuses a model file whose hidden layer is the wrong size, rather than scoring NaN', () => {
    const bytes = readFileSync(join(policy.source, '..', 'model', 'wardguard.wgm'))
    const length = bytes.readUInt32LE(4)
    const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'))
    header.hidden.w2 = header.hidden.w2.slice(1)
    const json = Buffer.from(JSON.stringify(header), 'utf8')
    const head = Buffer.from(bytes.subarray(0, 8))
    head.writeUInt32LE(json.length, 4)
    const broken = Buffer.concat([head, json, bytes.subarray(8 + length)])
    expect(() => decodeModel(broken, 'broken.wgm')).toThrow(/hidden layer's sizes do not match/)
  })

  it('computes the same features every time', () => {
    const a = analyse('Send them all back, every last one')
    const f1 = featurise(a, contextOf(a), 18)
    const f2 = featurise(a, contextOf(a), 18)
    expect(Array.from(f1.bucket.slice(0, f1.count))).toEqual(
      Array.from(f2.bucket.slice(0, f2.count)),
    )
  })

  it('marks negated and reported words apart from the same words said plainly', () => {
    const plain = analyse('immigrants are criminals')
    const negated = analyse('immigrants are not criminals')
    const fp = featurise(plain, contextOf(plain), 18)
    const fn = featurise(negated, contextOf(negated), 18)
    const word = (f: typeof fp, text: string, w: string) =>
      Array.from(f.bucket.slice(0, f.count)).filter(
        (_, i) => text.slice(f.start[i]!, f.end[i]!) === w,
      )
    expect(word(fp, 'immigrants are criminals', 'criminals')[0]).not.toBe(
      word(fn, 'immigrants are not criminals', 'criminals')[0],
    )
  })

  it('is off when the policy says model: null', () => {
    expect(loadPolicy().model).not.toBeNull()
    expect(withModel(policy, null).model).toBeNull()
  })
})
