import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { fromXActivity, fromXPoll } from '../../src/connectors/x/normalise.js'
import { XActivityBodySchema } from '../../src/connectors/x/payload.js'
import { CommentEnvelopeSchema } from '../../src/pipeline/messages.js'

const ME = '2244994945'
const receivedAt = '2026-11-22T10:00:00.000Z'
const opts = { isKnownAccount: (id: string) => id === ME, receivedAt }

function v1(id: string, over: Record<string, unknown> = {}) {
  return {
    id_str: id,
    created_at: 'Fri Sep 18 18:36:15 +0000 2020',
    text: `tweet ${id}`,
    truncated: false,
    in_reply_to_status_id_str: null,
    in_reply_to_user_id_str: null,
    user: { id_str: '5001', screen_name: 'resident_one', name: 'Resident One' },
    entities: { user_mentions: [] },
    ...over,
  }
}

const activity = (events: unknown[], forUser = ME) =>
  XActivityBodySchema.parse({ for_user_id: forUser, tweet_create_events: events })

describe('x normalise (account activity)', () => {
  it('maps a reply to the account onto the envelope, preferring the extended text', () => {
    const event = v1('1300000000000000001', {
      in_reply_to_status_id_str: '1299999999999999999',
      in_reply_to_user_id_str: ME,
      truncated: true,
      text: 'short…',
      extended_tweet: { full_text: 'the whole reply text' },
      timestamp_ms: '1600454175000',
    })
    const { comments, skipped } = fromXActivity(activity([event]), opts)
    expect(skipped).toEqual([])
    expect(comments).toEqual([
      {
        v: 1,
        platform: 'x',
        verb: 'add',
        subjectKey: 'x.1300000000000000001',
        commentId: '1300000000000000001',
        postId: '1299999999999999999',
        parentId: '1299999999999999999',
        accountId: ME,
        author: { id: '5001', name: 'Resident One' },
        text: 'the whole reply text',
        permalink: 'https://x.com/resident_one/status/1300000000000000001',
        createdAt: '2020-09-18T18:36:15.000Z',
        contentHash: createHash('sha256').update('the whole reply text').digest('hex'),
        source: 'webhook',
      },
    ])
    expect(CommentEnvelopeSchema.parse(comments[0])).toEqual(comments[0])
  })

  it('keeps replies and mentions and skips own tweets, retweets and unrelated tweets', () => {
    const events = [
      v1('11', { in_reply_to_user_id_str: ME, in_reply_to_status_id_str: '10' }),
      v1('12', { entities: { user_mentions: [{ id_str: ME }] } }),
      v1('13', { user: { id_str: ME, screen_name: 'cllr' } }),
      v1('14', {
        retweeted_status: { id_str: '10' },
        entities: { user_mentions: [{ id_str: ME }] },
      }),
      v1('15', { in_reply_to_user_id_str: '999' }),
      { id_str: '16' },
    ]
    const { comments, skipped } = fromXActivity(activity(events), opts)
    expect(comments.map((c) => c.commentId)).toEqual(['11', '12'])
    expect(comments[1]?.createdAt).toBe('2020-09-18T18:36:15.000Z')
    expect(skipped.map((s) => [s.reason, s.tweetId])).toEqual([
      ['own_post', '13'],
      ['retweet', '14'],
      ['not_addressed', '15'],
      ['invalid_event', undefined],
    ])
  })

  it('skips an unknown for_user_id and ignores bodies without tweet events', () => {
    const other = fromXActivity(activity([v1('1', { in_reply_to_user_id_str: '42' })], '42'), opts)
    expect(other).toEqual({
      comments: [],
      skipped: [{ reason: 'unknown_account', accountId: '42' }],
    })
    const likes = XActivityBodySchema.parse({ for_user_id: ME, favorite_events: [{}] })
    expect(fromXActivity(likes, opts)).toEqual({ comments: [], skipped: [] })
  })
})

describe('x normalise (polled v2 tweets)', () => {
  const includes = { users: [{ id: '5001', name: 'Resident One', username: 'resident_one' }] }

  it('uses the conversation as post and the replied-to tweet as parent', () => {
    const tweets = [
      {
        id: '1400000000000000002',
        text: '@cllr_patel bins again?',
        author_id: '5001',
        conversation_id: '1400000000000000000',
        created_at: '2026-11-21T09:00:00.000Z',
        referenced_tweets: [{ type: 'replied_to', id: '1400000000000000001' }],
      },
    ]
    const [comment] = fromXPoll(
      tweets,
      includes,
      { id: ME, username: 'cllr_patel' },
      { receivedAt },
    )
    expect(comment).toMatchObject({
      subjectKey: 'x.1400000000000000002',
      postId: '1400000000000000000',
      parentId: '1400000000000000001',
      author: { id: '5001', name: 'Resident One' },
      permalink: 'https://x.com/resident_one/status/1400000000000000002',
      createdAt: '2026-11-21T09:00:00.000Z',
      source: 'poller',
    })
    expect(CommentEnvelopeSchema.parse(comment)).toEqual(comment)
  })

  it('drops the account itself and retweets, prefers note_tweet text, tolerates a missing author', () => {
    const tweets = [
      { id: '1', text: 'mine', author_id: ME },
      {
        id: '2',
        text: 'RT',
        author_id: '5001',
        referenced_tweets: [{ type: 'retweeted', id: '1' }],
      },
      { id: '3', text: 'cut…', author_id: '5002', note_tweet: { text: 'the long post' } },
      { id: '4', text: 'no author' },
      { nonsense: true },
    ]
    const out = fromXPoll(tweets, undefined, { id: ME }, { receivedAt })
    expect(out.map((c) => [c.commentId, c.text, c.author.name, c.permalink, c.createdAt])).toEqual([
      ['3', 'the long post', null, 'https://x.com/i/web/status/3', receivedAt],
    ])
  })
})
