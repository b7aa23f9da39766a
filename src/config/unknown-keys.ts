import { closest, distance } from 'fastest-levenshtein'
import type { z } from 'zod'

/** A key the schema does not know, where it is, and the known key it most likely meant. */
export type UnknownKey = {
  path: (string | number)[]
  key: string
  suggestion: string | null
}

type Def = {
  type: string
  shape?: Record<string, z.ZodType>
  innerType?: z.ZodType
  element?: z.ZodType
  options?: z.ZodType[]
  discriminator?: string
  in?: z.ZodType
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

/**
 * Walks `data` beside `schema` and lists every object key the schema does not declare.
 * @NOTE zod strips unknown keys silently, so a misspelt `polcy:` or `ingset:` in the YAML would
 * otherwise read as "configuration OK" while the setting is lost. Done as a walk over the raw
 * data rather than `.strict()` on the shared schemas, because the web app and the account store
 * parse the same AccountSchema and must keep their behaviour.
 */
export function findUnknownKeys(
  schema: z.ZodType,
  data: unknown,
  path: (string | number)[] = [],
): UnknownKey[] {
  const def = defOf(schema)
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return def.innerType ? findUnknownKeys(def.innerType, data, path) : []
    case 'pipe':
      return def.in ? findUnknownKeys(def.in, data, path) : []
    case 'array':
      if (!Array.isArray(data) || !def.element) return []
      return data.flatMap((item, i) =>
        findUnknownKeys(def.element as z.ZodType, item, [...path, i]),
      )
    case 'union':
      return unionUnknownKeys(def, data, path)
    case 'object':
      return objectUnknownKeys(def.shape ?? {}, data, path)
    default:
      // records (an account's policy block, checked by the policy schema) and scalars
      return []
  }
}

function objectUnknownKeys(
  shape: Record<string, z.ZodType>,
  data: unknown,
  path: (string | number)[],
): UnknownKey[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return []
  const known = Object.keys(shape)
  const out: UnknownKey[] = []
  for (const [key, value] of Object.entries(data)) {
    const child = shape[key]
    if (child) out.push(...findUnknownKeys(child, value, [...path, key]))
    else out.push({ path, key, suggestion: suggest(key, known) })
  }
  return out
}

/** A discriminated union is walked with the member its discriminator picks; a plain one is not. */
function unionUnknownKeys(def: Def, data: unknown, path: (string | number)[]): UnknownKey[] {
  if (!def.discriminator || typeof data !== 'object' || data === null) return []
  const tag = (data as Record<string, unknown>)[def.discriminator]
  const member = (def.options ?? []).find((option) => {
    const field = defOf(option).shape?.[def.discriminator as string]
    return field ? (field.safeParse(tag).success ?? false) : false
  })
  // an unknown platform is reported by the schema itself; guessing its keys would only add noise
  return member ? findUnknownKeys(member, data, path) : []
}

/**
 * The known key nearest by edit distance, ignoring case, when it is near enough to be a slip
 * of the keyboard (at most a third of the word, and never more than 3 edits).
 */
export function suggest(key: string, known: string[]): string | null {
  if (known.length === 0) return null
  const lower = new Map(known.map((k) => [k.toLowerCase(), k]))
  const nearest = closest(key.toLowerCase(), [...lower.keys()])
  const limit = Math.min(3, Math.max(1, Math.floor(key.length / 3)))
  return distance(key.toLowerCase(), nearest) <= limit ? (lower.get(nearest) ?? null) : null
}
