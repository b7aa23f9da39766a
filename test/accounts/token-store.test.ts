import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Keyring, keyringFromEnv } from '../../src/accounts/keyring.js'
import {
  checkKeyring,
  deleteTokens,
  listTokenInfo,
  markWarned,
  readAllTokens,
  readToken,
  recordTokenCheck,
  rotateTokens,
  saveToken,
} from '../../src/accounts/token-store.js'
import type { Db } from '../../src/audit/db.js'
import { AppError, ConfigError } from '../../src/errors.js'
import { backendNames, openTestDb, type TestDb } from '../audit/backends.js'
import { rejectionOf } from '../helpers/rejection.js'

const newKey = () => randomBytes(32).toString('base64')
const ringOf = (current: string, previous: string[] = []): Keyring =>
  keyringFromEnv({
    TOKEN_ENCRYPTION_KEY: current,
    TOKEN_ENCRYPTION_PREVIOUS_KEYS: previous.join(','),
  })!

// a realistic-looking Page token, long enough that any leak of it would be unmistakable
const PAGE_TOKEN = `EAAB${randomBytes(60).toString('base64url')}`
const X_TOKEN = `x-access-${randomBytes(30).toString('hex')}`

const configError = (p: Promise<unknown>) => rejectionOf(p, ConfigError)

describe.each(backendNames())('token store on %s', (backend) => {
  let t: TestDb
  let db: Db
  let keyA: string
  let ring: Keyring
  beforeEach(async () => {
    t = await openTestDb(backend)
    db = t.db
    keyA = newKey()
    ring = ringOf(keyA)
  })
  afterEach(() => t.dispose())

  it('stores a token that reads back, but whose row holds neither it nor its base64 or hex', async () => {
    const expiresAt = new Date('2027-01-20T10:00:00Z')
    await saveToken(db, ring, {
      accountId: 'cllr-patel',
      kind: 'page',
      secret: PAGE_TOKEN,
      expiresAt,
      scopes: ['pages_manage_engagement'],
    })
    const back = await readToken(db, ring, 'cllr-patel', 'page')
    expect(back).toMatchObject({
      accountId: 'cllr-patel',
      kind: 'page',
      secret: PAGE_TOKEN,
      expiresAt,
      scopes: ['pages_manage_engagement'],
    })

    const [row] = await db.query<{ text: string; hex: string }>(
      `select t::text as text, encode(t.iv || t.ciphertext || t.tag, 'hex') as hex
       from account_token t`,
    )
    const dump = `${row?.text}\n${row?.hex}`
    const plain = Buffer.from(PAGE_TOKEN)
    for (const form of [PAGE_TOKEN, plain.toString('base64'), plain.toString('hex')]) {
      expect(dump.toLowerCase()).not.toContain(form.toLowerCase())
    }
    expect(await readToken(db, ring, 'cllr-patel', 'user')).toBeNull()
  })

  it('replaces a token of the same account and kind, and reads all tokens by account', async () => {
    await saveToken(db, ring, { accountId: 'cllr-patel', kind: 'page', secret: 'old' })
    await saveToken(db, ring, { accountId: 'cllr-patel', kind: 'page', secret: PAGE_TOKEN })
    await saveToken(db, ring, { accountId: 'cllr-jones-x', kind: 'access', secret: X_TOKEN })
    await saveToken(db, ring, { accountId: 'cllr-jones-x', kind: 'refresh', secret: 'r1' })
    const all = await readAllTokens(db, ring)
    expect([...all.keys()]).toEqual(['cllr-jones-x', 'cllr-patel'])
    expect(all.get('cllr-patel')?.get('page')?.secret).toBe(PAGE_TOKEN)
    expect(all.get('cllr-jones-x')?.get('refresh')?.secret).toBe('r1')
    expect(await deleteTokens(db, 'cllr-jones-x')).toBe(2)
    expect(await readToken(db, ring, 'cllr-jones-x', 'access')).toBeNull()
    expect((await readAllTokens(db, ring)).size).toBe(1)
  })

  it('refuses an invalid token record without echoing the token', async () => {
    const err = await configError(
      saveToken(db, ring, { accountId: 'Cllr/Patel', kind: 'page', secret: PAGE_TOKEN }),
    )
    expect(err.problems[0]).toMatch(/^token\.accountId: /)
    expect(err.message).not.toContain(PAGE_TOKEN)
  })

  it('does not open with a different key, and says which key the tokens need', async () => {
    await saveToken(db, ring, { accountId: 'cllr-patel', kind: 'page', secret: PAGE_TOKEN })
    const other = ringOf(newKey())
    const err = await configError(readToken(db, other, 'cllr-patel', 'page'))
    expect(err.message).toContain(`sealed with key ${ring.current.id}`)
    expect(err.message).toContain('TOKEN_ENCRYPTION_KEY')
    expect(err.message).not.toContain(PAGE_TOKEN)
  })

  it('does not open a row moved onto another account or kind', async () => {
    await saveToken(db, ring, { accountId: 'cllr-patel', kind: 'page', secret: PAGE_TOKEN })
    await db.query(
      `insert into account_token (account_id, kind, key_id, iv, ciphertext, tag)
       select 'cllr-jones', 'page', key_id, iv, ciphertext, tag from account_token`,
    )
    await db.query(`update account_token set kind = 'user' where account_id = 'cllr-patel'`)
    for (const [account, kind] of [
      ['cllr-jones', 'page'],
      ['cllr-patel', 'user'],
    ] as const) {
      const err = await readToken(db, ring, account, kind).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(AppError)
      expect((err as Error).message).toContain(`${account}/${kind}`)
      expect((err as Error).message).not.toContain(PAGE_TOKEN)
    }
  })

  it('rotates every row onto the new key, after which the old key is not needed', async () => {
    await saveToken(db, ring, { accountId: 'cllr-patel', kind: 'page', secret: PAGE_TOKEN })
    await saveToken(db, ring, { accountId: 'cllr-jones-x', kind: 'access', secret: X_TOKEN })
    await saveToken(db, ring, { accountId: 'cllr-jones-x', kind: 'refresh', secret: 'r1' })
    const keyB = newKey()
    const during = ringOf(keyB, [keyA])
    // a token saved during the change-over is already under the new key
    await saveToken(db, during, { accountId: 'cllr-lee', kind: 'page', secret: 'lee-token' })

    expect(await rotateTokens(db, during)).toEqual({ reencrypted: 3, total: 4 })
    const ids = await db.query<{ key_id: string }>('select distinct key_id from account_token')
    expect(ids.map((r) => r.key_id)).toEqual([during.current.id])

    const onlyB = ringOf(keyB)
    await checkKeyring(db, onlyB)
    const all = await readAllTokens(db, onlyB)
    expect(all.get('cllr-patel')?.get('page')?.secret).toBe(PAGE_TOKEN)
    expect(all.get('cllr-jones-x')?.get('access')?.secret).toBe(X_TOKEN)
    expect(all.get('cllr-lee')?.get('page')?.secret).toBe('lee-token')
    // and the old key alone no longer opens anything
    await configError(readToken(db, ring, 'cllr-patel', 'page'))
    expect(await rotateTokens(db, onlyB)).toEqual({ reencrypted: 0, total: 4 })
  })

  it('rotates nothing when one row does not open (all or none)', async () => {
    await saveToken(db, ring, { accountId: 'cllr-patel', kind: 'page', secret: PAGE_TOKEN })
    await saveToken(db, ringOf(newKey()), { accountId: 'cllr-lost', kind: 'page', secret: 'x' })
    const during = ringOf(newKey(), [keyA])
    await configError(rotateTokens(db, during))
    const rows = await db.query<{ key_id: string }>(
      `select key_id from account_token where account_id = 'cllr-patel'`,
    )
    expect(rows[0]?.key_id).toBe(ring.current.id)
  })

  describe('checkKeyring at start-up', () => {
    it('passes with no stored tokens, with or without a key', async () => {
      await checkKeyring(db, null)
      await checkKeyring(db, ring)
    })

    it('refuses stored tokens without a key, naming TOKEN_ENCRYPTION_KEY and the count', async () => {
      await saveToken(db, ring, { accountId: 'cllr-patel', kind: 'page', secret: PAGE_TOKEN })
      await saveToken(db, ring, { accountId: 'cllr-patel', kind: 'user', secret: 'u' })
      const err = await configError(checkKeyring(db, null))
      expect(err.problems).toEqual([
        'TOKEN_ENCRYPTION_KEY: not set, but 2 stored account tokens need it',
      ])
    })

    it('refuses tokens sealed under a key it does not have, naming that key id', async () => {
      await saveToken(db, ring, { accountId: 'cllr-patel', kind: 'page', secret: PAGE_TOKEN })
      const err = await configError(checkKeyring(db, ringOf(newKey(), [newKey()])))
      expect(err.problems).toHaveLength(1)
      expect(err.problems[0]).toMatch(
        new RegExp(
          `^TOKEN_ENCRYPTION_KEY: the stored tokens were sealed with key ${ring.current.id}, which is neither`,
        ),
      )
      // the right key, even as a previous one, is enough
      await checkKeyring(db, ringOf(newKey(), [keyA]))
    })

    it('refuses a row that was altered', async () => {
      await saveToken(db, ring, { accountId: 'cllr-patel', kind: 'page', secret: PAGE_TOKEN })
      await db.query(`update account_token set tag = decode(repeat('00', 16), 'hex')`)
      const err = await configError(checkKeyring(db, ring))
      expect(err.problems[0]).toMatch(/cllr-patel\/page does not open/)
    })
  })

  describe('token health and warn-once', () => {
    it('warns once per condition, again for a new one, and afresh after a new token', async () => {
      await saveToken(db, ring, { accountId: 'cllr-patel', kind: 'page', secret: PAGE_TOKEN })
      expect(await markWarned(db, 'cllr-patel', 'page', 'expiring:2026-12-01')).toBe(true)
      expect(await markWarned(db, 'cllr-patel', 'page', 'expiring:2026-12-01')).toBe(false)
      expect(await markWarned(db, 'cllr-patel', 'page', 'expiring:2026-12-01')).toBe(false)
      expect(await markWarned(db, 'cllr-patel', 'page', 'failing:190')).toBe(true)
      expect(await markWarned(db, 'cllr-patel', 'page', 'failing:190')).toBe(false)
      // other tokens are separate
      expect(await markWarned(db, 'cllr-patel', 'user', 'failing:190')).toBe(true)
      await saveToken(db, ring, { accountId: 'cllr-patel', kind: 'page', secret: 'renewed' })
      expect(await markWarned(db, 'cllr-patel', 'page', 'failing:190')).toBe(true)
      expect(await markWarned(db, 'cllr-patel', 'user', 'failing:190')).toBe(false)
    })

    it('warns once for two checks racing on the same condition', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, () => markWarned(db, 'cllr-patel', 'page', 'failing:190')),
      )
      expect(results.filter(Boolean)).toHaveLength(1)
    })

    it('lists what the checks found, for stored and environment tokens, never the token', async () => {
      await saveToken(db, ring, {
        accountId: 'cllr-patel',
        kind: 'page',
        secret: PAGE_TOKEN,
        expiresAt: new Date('2027-01-01T00:00:00Z'),
      })
      await recordTokenCheck(db, 'cllr-patel', 'page', {
        status: 'expiring',
        expiresAt: new Date('2026-12-01T00:00:00Z'),
      })
      await recordTokenCheck(db, 'cllr-env', 'page', { status: 'failing', problem: 'code 190' })
      const list = await listTokenInfo(db)
      expect(list).toMatchObject([
        {
          accountId: 'cllr-env',
          kind: 'page',
          stored: false,
          keyId: null,
          status: 'failing',
          problem: 'code 190',
        },
        {
          accountId: 'cllr-patel',
          kind: 'page',
          stored: true,
          keyId: ring.current.id,
          status: 'expiring',
          expiresAt: new Date('2026-12-01T00:00:00Z'),
        },
      ])
      expect(list[1]?.checkedAt).toBeInstanceOf(Date)
      expect(JSON.stringify(list)).not.toContain(PAGE_TOKEN)
      // a later check without an expiry keeps the known one; removal forgets the health too
      await recordTokenCheck(db, 'cllr-patel', 'page', { status: 'ok' })
      expect((await listTokenInfo(db))[1]).toMatchObject({
        status: 'ok',
        expiresAt: new Date('2026-12-01T00:00:00Z'),
      })
      await deleteTokens(db, 'cllr-patel')
      expect((await listTokenInfo(db)).map((i) => i.accountId)).toEqual(['cllr-env'])
    })
  })
})
