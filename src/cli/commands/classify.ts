import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import type { Command } from 'commander'
import { z } from 'zod'
import { ConfigError } from '../../errors.js'
import { loadPolicy, moderate, type Policy } from '../../moderation/index.js'

/**
 * `wardguard classify`: JSON Lines in, one decision per line out, in order. Streams, so 100k
 * lines cost no more memory than one. A bad line gets an error line (and a message on stderr
 * that never quotes the comment) and the stream goes on.
 */
export function registerClassifyCommand(program: Command): void {
  program
    .command('classify')
    .description(
      'classify comments: JSON Lines on stdin ({"id","platform","text"}), one decision per line on stdout',
    )
    .option('--policy <file>', 'policy file (default: config/policy.yaml)')
    .option('--at <time>', 'decide as if at this ISO time (pre-election period, staffed hours)')
    .action(async (opts: { policy?: string; at?: string }) => {
      if (opts.at !== undefined && Number.isNaN(Date.parse(opts.at))) {
        throw new ConfigError(
          `--at: must be an ISO time such as 2026-05-01T10:00:00Z (got ${opts.at})`,
        )
      }
      const result = await runClassify({
        input: process.stdin,
        output: process.stdout,
        errors: process.stderr,
        policy: loadPolicy(opts.policy),
        at: opts.at,
      })
      // @NOTE every line was answered; exit 1 only says some of the answers are errors
      if (result.failed > 0) process.exitCode = 1
    })
}

const InputLineSchema = z.looseObject({
  id: z.union([z.string(), z.number()]),
  platform: z.enum(['facebook', 'x']).default('facebook'),
  text: z.string(),
  author: z
    .object({ id: z.union([z.string(), z.number()]).transform(String), name: z.string().nullish() })
    .optional(),
  account: z.string().optional(),
  strikes: z.number().int().min(0).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
})

export type ClassifyOptions = {
  input: Readable
  output: Writable
  errors: Writable
  policy: Policy
  /** default time for lines without `at` */
  at?: string
}

const FLUSH_AT = 64 * 1024

export async function runClassify(
  opts: ClassifyOptions,
): Promise<{ lines: number; failed: number }> {
  const { output, errors, policy } = opts
  const lines = createInterface({ input: opts.input, crlfDelay: Number.POSITIVE_INFINITY })
  let buffer = ''
  let count = 0
  let failed = 0
  const flush = async () => {
    if (buffer === '') return
    const chunk = buffer
    buffer = ''
    // @NOTE respect back-pressure: a slow reader of stdout must not make us buffer everything
    if (!output.write(chunk)) await new Promise<void>((resolve) => output.once('drain', resolve))
  }
  for await (const line of lines) {
    count++
    if (line.trim() === '') continue
    buffer += `${classifyLine(line, count, policy, opts.at, errors, () => failed++)}\n`
    if (buffer.length >= FLUSH_AT) await flush()
  }
  await flush()
  return { lines: count, failed }
}

function classifyLine(
  line: string,
  lineNo: number,
  policy: Policy,
  at: string | undefined,
  errors: Writable,
  onError: () => void,
): string {
  let raw: unknown
  try {
    raw = JSON.parse(line)
  } catch {
    return reject(lineNo, null, 'not valid JSON', errors, onError)
  }
  const parsed = InputLineSchema.safeParse(raw)
  const rawId = (raw as { id?: unknown } | null)?.id
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null
  if (!parsed.success) {
    const problem = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`)
      .join('; ')
    return reject(lineNo, id, problem, errors, onError)
  }
  const input = parsed.data
  const d = moderate(
    {
      text: input.text,
      platform: input.platform,
      author: input.author,
      accountId: input.account,
      strikes: input.strikes,
      at: input.at ?? at,
    },
    policy,
  )
  return JSON.stringify({
    id: input.id,
    action: d.action,
    categories: d.categories,
    reasons: d.reasons,
    escalate: d.escalate,
    urgent: d.urgent,
    suggestBan: d.suggestBan,
    reviewRequired: d.reviewRequired,
    modes: d.modes,
    policyVersion: d.policyVersion,
  })
}

function reject(
  lineNo: number,
  id: string | number | null,
  problem: string,
  errors: Writable,
  onError: () => void,
): string {
  onError()
  // @NOTE the message names the line and id, never the comment's text
  errors.write(
    `wardguard classify: line ${lineNo}${id === null ? '' : ` (id ${id})`}: ${problem}\n`,
  )
  return JSON.stringify({ id, line: lineNo, error: problem })
}
