import { afterAll, beforeAll } from 'vitest'
import { actionIdFor } from '../../src/connectors/slack/blocks.js'
import type { Verdict } from '../../src/connectors/slack/types.js'
import {
  blockActionsPayload,
  type SimMessage,
  type SlackSim,
  type SlackSimOptions,
  sendInteraction,
  startSlackSim,
} from '../simulators/slack-sim.js'
import { type Harness, MODERATOR, REVIEW_CHANNEL, startHarness, waitFor } from './harness.js'

/** The whole service with Slack review, against the Slack simulator, as a moderator sees it. */
export type SlackDesk = {
  readonly h: Harness
  readonly slack: SlackSim
  readonly signing: string
  /** presses a verdict's button on a review message, as `user` (default MODERATOR) */
  click(verdict: Verdict, subjectKey: string, ts: string, user?: string): Promise<Response>
  /** the comment's own review message (it quotes the comment), once it is posted */
  posted(subjectKey: string): Promise<SimMessage>
}

/**
 * Starts the Slack simulator and the service wired to it before the file's tests, stops both
 * after. `name` keeps each file's bot token and signing secret its own.
 */
export function useSlackDesk(
  name: string,
  opts: { users?: SlackSimOptions['users']; env?: Record<string, string> } = {},
): SlackDesk {
  const bot = `xoxb-${name}-bot`
  const signing = `${name}-signing-secret`
  let h: Harness | undefined
  let slack: SlackSim | undefined
  beforeAll(async () => {
    slack = await startSlackSim({ botToken: bot, ...(opts.users ? { users: opts.users } : {}) })
    h = await startHarness({
      env: {
        SLACK_BOT_TOKEN: bot,
        SLACK_SIGNING_SECRET: signing,
        SLACK_API_URL: slack.url,
        ...opts.env,
      },
    })
  })
  afterAll(async () => {
    await h?.stop()
    await slack?.close()
  })
  const started = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('the Slack desk has not started')
    return x
  }
  return {
    get h() {
      return started(h)
    },
    get slack() {
      return started(slack)
    },
    signing,
    click(verdict, subjectKey, ts, user = MODERATOR) {
      const sim = started(slack)
      return sendInteraction(
        `${started(h).service.url}/slack/events`,
        blockActionsPayload({
          userId: user,
          channel: REVIEW_CHANNEL,
          messageTs: ts,
          actionId: actionIdFor(verdict),
          value: subjectKey,
          triggerId: sim.issueTrigger(),
        }),
        { signingSecret: signing },
      )
    },
    async posted(subjectKey) {
      const sim = started(slack)
      const message = await waitFor(
        async () =>
          sim.messages.find((m) => {
            const json = JSON.stringify(m.blocks)
            return json.includes(`ref ${subjectKey}`) && json.includes('"rich_text_quote"')
          }),
        Boolean,
      )
      if (!message) throw new Error(`no review message for ${subjectKey}`)
      return message
    },
  }
}
