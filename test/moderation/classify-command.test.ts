import { spawnSync } from 'node:child_process'
import { PassThrough, Readable } from 'node:stream'
import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { registerClassifyCommand, runClassify } from '../../src/cli/commands/classify.js'
import { policy } from './helpers.js'

async function classify(lines: string[]) {
  const output = new PassThrough()
  const errors = new PassThrough()
  let out = ''
  let err = ''
  output.on('data', (c) => {
    out += c
  })
  errors.on('data', (c) => {
    err += c
  })
  const result = await runClassify({
    input: Readable.from(lines.map((l) => `${l}\n`)),
    output,
    errors,
    policy,
  })
  return {
    result,
    out: out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
    err,
  }
}

describe('classify command', () => {
  it('writes one decision per input line, in order', async () => {
    const { out } = await classify([
      JSON.stringify({
        id: 'a',
        platform: 'facebook',
        text: 'Cllr Patel is useless and should resign',
      }),
      JSON.stringify({
        id: 'b',
        platform: 'x',
        text: 'you absolute tw@t',
        author: { id: 'u1', name: 'Sam' },
        account: 'cllr-a',
      }),
      JSON.stringify({ id: 3, platform: 'facebook', text: 'Moron.' }),
    ])
    expect(out.map((o) => [o.id, o.action])).toEqual([
      ['a', 'allow'],
      ['b', 'hide'],
      [3, 'review'],
    ])
    expect(out[1].reasons[0]).toMatchObject({
      rule: 'profanity.strong',
      category: 'profanity',
      match: 'tw@t',
    })
    expect(out[1].categories).toEqual(['profanity', 'harassment'])
  })

  it('answers a bad line with an error line and carries on', async () => {
    const { out, err, result } = await classify([
      'this is not json',
      JSON.stringify({ id: 'no-text', platform: 'facebook' }),
      JSON.stringify({ id: 'ok', platform: 'facebook', text: 'thanks for the update' }),
    ])
    expect(out).toEqual([
      { id: null, line: 1, error: 'not valid JSON' },
      expect.objectContaining({ id: 'no-text', line: 2, error: expect.stringContaining('text') }),
      expect.objectContaining({ id: 'ok', action: 'allow' }),
    ])
    expect(err).toMatch(/line 1: not valid JSON/)
    expect(err).toMatch(/line 2 \(id no-text\)/)
    expect(result).toEqual({ lines: 3, failed: 2 })
  })

  it('never writes the comment text to stderr', async () => {
    const { err } = await classify([
      JSON.stringify({ id: 'x', platform: 'myspace', text: 'secret words here' }),
    ])
    expect(err).not.toContain('secret')
  })

  it('streams 100k lines without holding them all', async () => {
    const line = `${JSON.stringify({ id: 'n', platform: 'x', text: 'Bins not collected again on Elm Road' })}\n`
    let sent = 0
    const input = new Readable({
      read() {
        this.push(sent++ < 100_000 ? line : null)
      },
    })
    let count = 0
    const output = new PassThrough()
    output.on('data', (c: Buffer) => {
      for (const b of c) if (b === 10) count++
    })
    const result = await runClassify({ input, output, errors: new PassThrough(), policy })
    expect(result.lines).toBe(100_000)
    expect(count).toBe(100_000)
  }, 60_000)

  it('registers `classify` with a --policy option', () => {
    const program = new Command()
    registerClassifyCommand(program)
    const cmd = program.commands.find((c) => c.name() === 'classify')
    expect(cmd?.options.map((o) => o.long)).toEqual(['--policy', '--at'])
  })

  it('runs as a process over stdin and stdout', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        "import('./src/cli/commands/classify.ts').then(async ({ registerClassifyCommand }) => { const { Command } = await import('commander'); const p = new Command(); registerClassifyCommand(p); await p.parseAsync(['node', 'x', 'classify']) })",
      ],
      {
        input: `${JSON.stringify({ id: 1, platform: 'x', text: 'go f*** yourself' })}\n`,
        encoding: 'utf8',
      },
    )
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ id: 1, action: 'hide' })
  }, 30_000)
})
