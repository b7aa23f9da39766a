import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { fromFacebookWebhook } from '../../src/connectors/facebook/normalise.js'
import { FacebookWebhookBodySchema } from '../../src/connectors/facebook/payload.js'
import { CommentEnvelopeSchema } from '../../src/pipeline/messages.js'
import { facebookCommentBody } from '../simulators/graph-sim.js'

const PAGE_A = '448242228374517'
const PAGE_B = '900000000000001'
const receivedAt = '2026-11-22T10:00:00.000Z'
const known = new Set([PAGE_A, PAGE_B])
const opts = { isKnownPage: (id: string) => known.has(id), receivedAt }
const jane = { id: '7001', name: 'Jane Resident' }

function normalise(body: unknown) {
  return fromFacebookWebhook(FacebookWebhookBodySchema.parse(body), opts)
}

describe('facebook normalise', () => {
  it('maps a captured comment change onto the envelope', () => {
    const body = {
      object: 'page',
      entry: [
        {
          id: PAGE_A,
          time: 1742667607,
          changes: [
            {
              field: 'feed',
              value: {
                item: 'comment',
                verb: 'add',
                comment_id: '122131676912594941_1213590066982748',
                post_id: `${PAGE_A}_122131676912594941`,
                parent_id: '122131676912594941_542072878449250',
                from: jane,
                message: 'text of the comment',
                created_time: 1742667604,
                post: { id: `${PAGE_A}_122131676912594941`, status_type: 'mobile_status_update' },
              },
            },
          ],
        },
      ],
    }
    const { comments, skipped } = normalise(body)
    expect(skipped).toEqual([])
    expect(comments).toEqual([
      {
        v: 1,
        platform: 'facebook',
        verb: 'add',
        subjectKey: 'facebook.122131676912594941_1213590066982748',
        commentId: '122131676912594941_1213590066982748',
        postId: `${PAGE_A}_122131676912594941`,
        parentId: '122131676912594941_542072878449250',
        accountId: PAGE_A,
        author: { id: '7001', name: 'Jane Resident' },
        text: 'text of the comment',
        permalink: 'https://www.facebook.com/122131676912594941_1213590066982748',
        createdAt: '2025-03-22T18:20:04.000Z',
        contentHash: createHash('sha256').update('text of the comment').digest('hex'),
        source: 'webhook',
      },
    ])
    expect(CommentEnvelopeSchema.parse(comments[0])).toEqual(comments[0])
    expect(comments[0]?.subjectKey).not.toContain(':')
  })

  it('returns every comment of a batch with many entries and changes, skipping the Page itself', () => {
    const body = facebookCommentBody([
      { pageId: PAGE_A, commentId: '11_1', from: jane, message: 'one' },
      { pageId: PAGE_B, commentId: '21_1', from: { id: '7002', name: 'Sam' }, message: 'two' },
      {
        pageId: PAGE_A,
        commentId: '11_2',
        from: { id: PAGE_A, name: 'The Page' },
        message: 'thanks!',
      },
      { pageId: PAGE_A, commentId: '11_3', from: jane, message: 'three', verb: 'edited' },
      { pageId: PAGE_B, commentId: '21_2', from: jane, verb: 'remove' },
    ])
    expect(body.entry).toHaveLength(2)
    const { comments, skipped } = normalise(body)
    expect(comments.map((c) => [c.accountId, c.commentId, c.verb, c.text])).toEqual([
      [PAGE_A, '11_1', 'add', 'one'],
      [PAGE_A, '11_3', 'edited', 'three'],
      [PAGE_B, '21_1', 'add', 'two'],
      [PAGE_B, '21_2', 'remove', ''],
    ])
    expect(skipped).toEqual([{ reason: 'own_comment', pageId: PAGE_A, commentId: '11_2' }])
  })

  it('skips an unknown Page with reason unknown_account and keeps the known one', () => {
    const body = facebookCommentBody([
      { pageId: '555', commentId: '1_1', from: jane, message: 'elsewhere' },
      { pageId: PAGE_A, commentId: '2_1', from: jane, message: 'here' },
    ])
    const { comments, skipped } = normalise(body)
    expect(comments.map((c) => c.commentId)).toEqual(['2_1'])
    expect(skipped).toEqual([{ reason: 'unknown_account', pageId: '555' }])
  })

  it('skips changes it does not understand without dropping the rest of the batch', () => {
    const good = facebookCommentBody([
      { pageId: PAGE_A, commentId: '3_1', from: jane, message: 'ok' },
    ])
    const entry = good.entry[0]!
    entry.changes.push(
      { field: 'feed', value: { item: 'reaction', verb: 'add', reaction_type: 'like' } },
      { field: 'ratings', value: { item: 'rating' } },
      { field: 'feed', value: { item: 'comment', verb: 'add', from: jane } },
      { field: 'feed', value: { item: 'comment', verb: 'block', comment_id: '3_9', from: jane } },
      'not even an object',
    )
    const { comments, skipped } = normalise(good)
    expect(comments.map((c) => c.commentId)).toEqual(['3_1'])
    expect(skipped.map((s) => s.reason)).toEqual([
      'not_comment',
      'not_feed',
      'invalid_change',
      'unsupported_verb',
      'invalid_change',
    ])
  })

  it('maps old verbs, numeric ids and ISO times, and marks top-level comments as parentless', () => {
    const body = {
      object: 'page',
      entry: [
        {
          id: Number(PAGE_B),
          changes: [
            {
              field: 'feed',
              value: {
                item: 'comment',
                verb: 'edit',
                comment_id: '5_6',
                post_id: `${PAGE_B}_5`,
                parent_id: `${PAGE_B}_5`,
                from: { id: 7003 },
                message: 'Caf\u00e9 on the high street',
                created_time: '2025-03-22T18:20:04+0000',
              },
            },
          ],
        },
      ],
    }
    const [comment] = normalise(body).comments
    expect(comment).toMatchObject({
      accountId: PAGE_B,
      verb: 'edited',
      parentId: null,
      author: { id: '7003', name: null },
      text: 'Café on the high street',
      createdAt: '2025-03-22T18:20:04.000Z',
    })
  })

  it('uses the arrival time when created_time is missing, and skips non-page objects', () => {
    const body = facebookCommentBody([
      { pageId: PAGE_A, commentId: '8_1', from: jane, message: 'x' },
    ])
    delete (body.entry[0]!.changes[0] as { value: { created_time?: number } }).value.created_time
    expect(normalise(body).comments[0]?.createdAt).toBe(receivedAt)
    const instagram = { ...body, object: 'instagram' }
    expect(normalise(instagram)).toEqual({
      comments: [],
      skipped: [{ reason: 'not_page_object', pageId: PAGE_A }],
    })
  })

  it('reports entries that carry changed_fields only', () => {
    const body = { object: 'page', entry: [{ id: PAGE_A, time: 1, changed_fields: ['feed'] }] }
    expect(normalise(body).skipped).toEqual([{ reason: 'no_changes', pageId: PAGE_A }])
  })
})
