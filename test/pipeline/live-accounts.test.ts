import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { notifyAccountsChanged } from '../../src/accounts/changes.js'
import {
  removeConnectedAccount,
  saveConnectedAccount,
  saveToken,
} from '../../src/accounts/index.js'
import {
  APP_SECRET,
  type Harness,
  MODERATOR,
  PAGE_ID,
  REVIEW_CHANNEL,
  startHarness,
  waitFor,
} from '../helpers/harness.js'
import { facebookCommentBody, sendFacebookWebhook } from '../simulators/graph-sim.js'

const NEW_PAGE_ID = '100000000000777'
const NEW_PAGE_TOKEN = 'page-token-777'
const ABUSE = 'You are a fucking idiot and a waste of space'

/**
 * A Page connected while the service runs is moderated without a restart; a new token reaches
 * the client that acts; a removed account's webhooks are no longer taken in.
 */
describe('accounts connected while the service runs', () => {
  let h: Harness
  let counter = 0

  beforeAll(async () => {
    h = await startHarness({
      env: { TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') },
    })
    h.graph.state.addPage(NEW_PAGE_ID, NEW_PAGE_TOKEN, 'Cllr New')
  }, 60_000)
  afterAll(async () => {
    await h?.stop()
  })

  const deliverTo = async (pageId: string, text: string) => {
    const seeded = h.graph.state.seedComment({
      pageId,
      from: { id: String(9_000 + counter++), name: 'A Resident' },
      message: text,
    })
    const res = await sendFacebookWebhook(
      `${h.service.url}/webhooks/facebook`,
      facebookCommentBody([seeded]),
      APP_SECRET,
    )
    return { status: res.status, id: seeded.id }
  }
  const hidden = (id: string) => async () => h.graph.state.comment(id)?.isHidden ?? false
  const keyring = () => {
    if (!h.service.keyring) throw new Error('the harness should have a keyring')
    return h.service.keyring
  }

  it('moderates a newly connected Page at once, with its stored token', async () => {
    expect(h.service.pipeline.accounts.get('facebook', NEW_PAGE_ID)).toBeUndefined()
    await saveConnectedAccount(
      h.service.db,
      {
        id: 'cllr-new',
        platform: 'facebook',
        pageId: NEW_PAGE_ID,
        name: 'Cllr New',
        owner: { name: 'Nia New' },
        review: { channel: REVIEW_CHANNEL, moderators: [MODERATOR] },
      },
      'test',
    )
    await saveToken(h.service.db, keyring(), {
      accountId: 'cllr-new',
      kind: 'page',
      secret: NEW_PAGE_TOKEN,
    })
    await notifyAccountsChanged(h.service.redis)
    await waitFor(
      async () => h.service.pipeline.accounts.get('facebook', NEW_PAGE_ID),
      (r) => r !== undefined,
    )

    const { status, id } = await deliverTo(NEW_PAGE_ID, ABUSE)
    expect(status).toBe(200)
    expect(await waitFor(hidden(id), Boolean)).toBe(true)
    // the audit names the connected account (recorded just after the platform answers)
    const rows = await waitFor(
      () =>
        h.service.db.query<{ account_id: string }>(
          `select account_id from moderation_event where comment_id = $1 and type = 'action.applied'`,
          [id],
        ),
      (r) => r.length > 0,
    )
    expect(rows.map((r) => r.account_id)).toEqual(['cllr-new'])
  }, 40_000)

  it('uses a replaced token without a restart (the old one stops working)', async () => {
    const before = h.service.pipeline.accounts.byId('cllr-new')
    h.graph.state.addPage(NEW_PAGE_ID, 'page-token-777-new', 'Cllr New')
    await saveToken(h.service.db, keyring(), {
      accountId: 'cllr-new',
      kind: 'page',
      secret: 'page-token-777-new',
    })
    await notifyAccountsChanged(h.service.redis)
    const after = await waitFor(
      async () => h.service.pipeline.accounts.byId('cllr-new'),
      (r) => r !== before,
    )
    expect(after?.tokenFingerprint).not.toBe(before?.tokenFingerprint)

    const { id } = await deliverTo(NEW_PAGE_ID, ABUSE)
    expect(await waitFor(hidden(id), Boolean)).toBe(true)
  }, 40_000)

  it('keeps the YAML account when a connected one claims the same Page', async () => {
    await saveConnectedAccount(
      h.service.db,
      {
        id: 'cllr-impostor',
        platform: 'facebook',
        pageId: PAGE_ID,
        name: 'Impostor',
        owner: { name: 'Someone' },
        review: { channel: 'C0OTHER1', moderators: ['U0OTHER1'] },
      },
      'test',
    )
    await h.service.pipeline.accounts.reload()
    expect(h.service.pipeline.accounts.get('facebook', PAGE_ID)?.account.id).toBe('cllr-test')
    expect(h.service.pipeline.accounts.byId('cllr-impostor')).toBeUndefined()
    await removeConnectedAccount(h.service.db, 'cllr-impostor')
  })

  it('stops taking in comments for a removed account', async () => {
    await removeConnectedAccount(h.service.db, 'cllr-new')
    await notifyAccountsChanged(h.service.redis)
    await waitFor(
      async () => h.service.pipeline.accounts.byId('cllr-new'),
      (r) => r === undefined,
    )
    const { status, id } = await deliverTo(NEW_PAGE_ID, ABUSE)
    // unknown Pages are acknowledged (Meta would otherwise redeliver) but nothing is done
    expect(status).toBe(200)
    await new Promise((r) => setTimeout(r, 500))
    expect(h.graph.state.comment(id)?.isHidden).toBe(false)
  }, 40_000)
})
