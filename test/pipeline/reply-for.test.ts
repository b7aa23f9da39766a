import { describe, expect, it } from 'vitest'
import type { Account } from '../../src/config/accounts.js'
import type { DecisionInput } from '../../src/connectors/slack/types.js'
import type { AccountRuntime } from '../../src/pipeline/accounts.js'
import { replyFor } from '../../src/pipeline/review-decisions.js'

function runtime(platform: 'facebook' | 'x', replyWithExplanation: boolean): AccountRuntime {
  const review = { channel: 'C0R', moderators: ['U0A'], replyWithExplanation }
  return { platform, account: { review } as unknown as Account } as AccountRuntime
}

const input = (verdict: DecisionInput['verdict'], explanation: string | null = 'Personal abuse') =>
  ({ verdict, explanation }) as DecisionInput

describe('replyFor', () => {
  it('replies under the comment when it stays, and under the post when it is removed', () => {
    expect(replyFor(input('hide'), runtime('facebook', true), 'c1', 'p1')).toEqual({ to: 'c1' })
    expect(replyFor(input('ban'), runtime('facebook', true), 'c1', 'p1')).toEqual({ to: 'c1' })
    expect(replyFor(input('remove'), runtime('facebook', true), 'c1', 'p1')).toEqual({ to: 'p1' })
    // on X, Remove only hides the reply, so the answer goes under it
    expect(replyFor(input('remove'), runtime('x', true), 'c1', 'p1')).toEqual({ to: 'c1' })
  })

  it('posts nothing when the account has not asked for it, on escalation or without words', () => {
    expect(replyFor(input('hide'), runtime('facebook', false), 'c1', 'p1')).toBeNull()
    expect(replyFor(input('escalate'), runtime('facebook', true), 'c1', 'p1')).toBeNull()
    expect(replyFor(input('hide', null), runtime('facebook', true), 'c1', 'p1')).toBeNull()
  })
})
