import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = path.resolve(import.meta.dirname, '../../src')
const AUDIT_TABLES = ['moderation_event', 'subject_status', 'comment_snapshot', 'audit_chain_head']

function sourcesOutsideAudit(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name)
    if (d.isDirectory()) return full === path.join(SRC, 'audit') ? [] : sourcesOutsideAudit(full)
    return d.name.endsWith('.ts') ? [full] : []
  })
}

describe('the audit store boundary', () => {
  // @NOTE the trail's integrity rules live in one module; a query written elsewhere would bypass
  // them (and the retention rules for comment text) without anyone noticing in review
  it('keeps every query on the audit tables inside src/audit', () => {
    const offenders = sourcesOutsideAudit(SRC).flatMap((file) => {
      const text = readFileSync(file, 'utf8')
      return AUDIT_TABLES.filter((t) =>
        new RegExp(`\\b(from|into|update|join)\\s+${t}\\b`, 'i').test(text),
      ).map((t) => `${path.relative(SRC, file)}: ${t}`)
    })
    expect(offenders).toEqual([])
  })
})
