import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  listConnectedAccounts,
  removeConnectedAccount,
  saveConnectedAccount,
} from '../../src/accounts/account-store.js'
import type { Db } from '../../src/audit/db.js'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError } from '../../src/errors.js'
import { backendNames, openTestDb, type TestDb } from '../audit/backends.js'
import { rejectionOf } from '../helpers/rejection.js'
import { tempDir, writeFile } from '../helpers/tmp.js'

const PAGE = {
  id: 'cllr-patel',
  platform: 'facebook',
  pageId: '1000001',
  name: 'Cllr Priya Patel',
  owner: { name: 'Priya Patel' },
  review: { channel: 'C0REVIEW1', moderators: ['U0ADMIN1'] },
}
const X = {
  id: 'cllr-jones-x',
  platform: 'x',
  userId: '2000001',
  name: 'Cllr Ann Jones',
  owner: { name: 'Ann Jones' },
  review: { channel: 'C0REVIEW2', moderators: ['U0ADMIN3'] },
}

const configError = (p: Promise<unknown>) => rejectionOf(p, ConfigError)

describe.each(backendNames())('connected accounts on %s', (backend) => {
  let t: TestDb
  let db: Db
  beforeEach(async () => {
    t = await openTestDb(backend)
    db = t.db
  })
  afterEach(() => t.dispose())

  it('saves accounts with the YAML defaults filled in, and lists them', async () => {
    await saveConnectedAccount(db, X, 'admin')
    await saveConnectedAccount(db, PAGE, 'admin')
    const list = await listConnectedAccounts(db)
    expect(list.map((a) => a.id)).toEqual(['cllr-jones-x', 'cllr-patel'])
    expect(list[0]).toMatchObject({ platform: 'x', ingest: 'poll', tier: 'basic' })
    expect(list[1]).toMatchObject({ review: { replyWithExplanation: false } })
    expect(list[1]?.tokenEnv).toBeUndefined()
    const [row] = await db.query<{ created_by: string }>(
      `select created_by from connected_account where id = 'cllr-patel'`,
    )
    expect(row?.created_by).toBe('admin')
  })

  it('refuses an invalid account, naming each wrong field', async () => {
    const bad = { ...PAGE, pageId: 'patel', review: { channel: 'general', moderators: [] } }
    const err = await configError(saveConnectedAccount(db, bad, 'admin'))
    const text = err.problems.join('\n')
    expect(text).toContain(
      'connected account (cllr-patel).pageId: a Facebook Page id is all digits',
    )
    expect(text).toMatch(
      /connected account \(cllr-patel\)\.review\.channel: must be a Slack channel id/,
    )
    expect(text).toMatch(/\.review\.moderators: name at least one Slack user/)
    expect(await listConnectedAccounts(db)).toEqual([])
  })

  it('refuses a second account for the same Page, but updates the same account', async () => {
    await saveConnectedAccount(db, PAGE, 'admin')
    const err = await configError(
      saveConnectedAccount(db, { ...PAGE, id: 'patel-again' }, 'someone'),
    )
    expect(err.problems).toEqual([
      'connected account (patel-again): facebook id 1000001 is already connected as cllr-patel',
    ])
    // the same X user id is a different platform account: no clash
    await saveConnectedAccount(db, { ...X, userId: '1000001' }, 'admin')
    await saveConnectedAccount(db, { ...PAGE, name: 'Cllr Patel (Riverside)' }, 'editor')
    const list = await listConnectedAccounts(db)
    expect(list.map((a) => [a.id, a.name])).toEqual([
      ['cllr-jones-x', 'Cllr Ann Jones'],
      ['cllr-patel', 'Cllr Patel (Riverside)'],
    ])
    const [row] = await db.query<{ created_by: string }>(
      `select created_by from connected_account where id = 'cllr-patel'`,
    )
    expect(row?.created_by).toBe('admin')
  })

  it('removes an account once', async () => {
    await saveConnectedAccount(db, PAGE, 'admin')
    expect(await removeConnectedAccount(db, 'cllr-patel')).toBe(true)
    expect(await removeConnectedAccount(db, 'cllr-patel')).toBe(false)
    expect(await listConnectedAccounts(db)).toEqual([])
  })

  it('says which stored account no longer validates', async () => {
    await saveConnectedAccount(db, PAGE, 'admin')
    await db.query(
      `update connected_account set config = jsonb_set(config, '{review,channel}', '"general"')`,
    )
    const err = await configError(listConnectedAccounts(db))
    expect(err.problems[0]).toMatch(/^connected account \(cllr-patel\)\.review\.channel: /)
  })
})

describe('YAML accounts without tokenEnv', () => {
  const tmp = tempDir()
  afterAll(() => tmp.cleanup())
  const yaml = `
accounts:
  - id: cllr-patel
    platform: facebook
    pageId: "1000001"
    name: Cllr Priya Patel
    owner: { name: Priya Patel }
    review: { channel: C0REVIEW1, moderators: [U0ADMIN1] }
  - id: cllr-jones-x
    platform: x
    userId: "2000001"
    name: Cllr Ann Jones
    owner: { name: Ann Jones }
    tokenEnv: X_TOKEN_JONES
    review: { channel: C0REVIEW2, moderators: [U0ADMIN3] }
`
  const env = { FACEBOOK_APP_SECRET: 's', FACEBOOK_VERIFY_TOKEN: 'v' }

  it('load, leaving those tokens to the store', () => {
    const file = writeFile(tmp.dir, 'a.yaml', yaml)
    const cfg = loadConfig({
      env: { WARDGUARD_CONFIG: file, X_TOKEN_JONES: 'x-token', ...env },
      cwd: tmp.dir,
    })
    expect(cfg.file.accounts.map((a) => a.id)).toEqual(['cllr-patel', 'cllr-jones-x'])
    expect([...cfg.secrets.accountTokens]).toEqual([['cllr-jones-x', 'x-token']])
  })

  it('still name a tokenEnv variable that is missing', () => {
    const file = writeFile(tmp.dir, 'b.yaml', yaml)
    expect(() => loadConfig({ env: { WARDGUARD_CONFIG: file, ...env }, cwd: tmp.dir })).toThrow(
      'accounts[1] (cllr-jones-x).tokenEnv: environment variable X_TOKEN_JONES is not set',
    )
  })
})
