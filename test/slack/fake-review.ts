/**
 * An in-memory stand-in for the lead's review service: items, moderators, and a decide() that
 * lets the first decision win and treats a repeated dedupe key as the same decision.
 */
import type {
  DecisionInput,
  DecisionResult,
  ReviewDeps,
  ReviewItem,
  Verdict,
} from '../../src/connectors/slack/types.js'

export type FakeReview = ReviewDeps & {
  items: Map<string, ReviewItem>
  moderators: Map<string, Set<string>>
  decideCalls: DecisionInput[]
  decisions: Map<string, DecisionInput>
  refusals: { subjectKey: string; slackUserId: string; verdict: Verdict }[]
  /** makes decide() wait, to line up concurrent clicks */
  gate: Promise<void> | null
}

export function fakeReview(items: ReviewItem[], moderators: Record<string, string[]>): FakeReview {
  const byKey = new Map<string, DecisionResult>()
  const fake: FakeReview = {
    items: new Map(items.map((i) => [i.subjectKey, i])),
    moderators: new Map(Object.entries(moderators).map(([a, us]) => [a, new Set(us)])),
    decideCalls: [],
    decisions: new Map(),
    refusals: [],
    gate: null,
    getItem: async (key) => fake.items.get(key) ?? null,
    isModerator: async (accountId, user) => fake.moderators.get(accountId)?.has(user) ?? false,
    async decide(d) {
      fake.decideCalls.push(d)
      if (fake.gate) await fake.gate
      const seen = byKey.get(d.dedupeKey)
      if (seen) return seen
      const first = fake.decisions.get(d.subjectKey)
      const result: DecisionResult = first
        ? { status: 'already_decided', by: first.slackUserId, verdict: first.verdict }
        : { status: 'decided' }
      if (!first) fake.decisions.set(d.subjectKey, d)
      byKey.set(d.dedupeKey, result)
      return result
    },
    async recordRefusal(r) {
      fake.refusals.push(r)
    },
  }
  return fake
}

export function commentItem(over: Partial<ReviewItem> = {}): ReviewItem {
  return {
    subjectKey: 'facebook.111_222',
    platform: 'facebook',
    accountId: 'page-1',
    accountName: 'Cllr Jane Doe',
    channel: 'C0REVIEW',
    commentId: '111_222',
    permalink: 'https://www.facebook.com/111/posts/222?comment_id=333',
    text: 'You are a liar and everyone on Elm Road knows it',
    hidden: false,
    author: {
      id: 'psid-9',
      name: 'Pat Example',
      profileUrl: 'https://www.facebook.com/pat',
      strikes: 2,
    },
    categories: ['harassment', 'defamation'],
    reasons: [
      {
        rule: 'harassment.insult',
        category: 'harassment',
        match: 'liar',
        explanation: 'Personal insult aimed at the councillor',
      },
    ],
    suggested: 'hide',
    urgent: false,
    receivedAt: '2026-11-20T10:00:00.000Z',
    kind: 'comment',
    ...over,
  }
}
