import { afterEach, describe, expect, it } from 'vitest'
import { reviewMessage } from '../../src/connectors/slack/blocks.js'
import { explainModal } from '../../src/connectors/slack/modal.js'
import { sendInteraction, viewSubmissionPayload } from '../simulators/slack-sim.js'
import { commentItem } from './fake-review.js'
import { type HttpHarness, httpHarness, signingSecret } from './setup.js'

const now = new Date('2026-11-20T10:12:00.000Z')
const admin = 'U0ADMIN1'

let h: HttpHarness | null = null
afterEach(async () => {
  await h?.close()
  h = null
})

const threat = () =>
  commentItem({
    text: "Wait till I see you, I'll kick your head in",
    categories: ['threat'],
    reasons: [
      {
        rule: 'threat.first_person',
        category: 'threat',
        match: 'kick your head in',
        explanation: 'Says the writer will hurt someone',
      },
      {
        rule: 'threat.first_person',
        category: 'threat',
        match: 'kick your head in',
        explanation: 'Says the writer will hurt someone',
      },
    ],
  })

describe('review messages on a phone', () => {
  it('leads "Why it was flagged" with plain words and the words matched; the rule id is small and last', () => {
    const msg = reviewMessage(threat(), now)
    const reasons = msg.blocks.find(
      (b) => b.type === 'rich_text' && JSON.stringify(b).includes('Why it was flagged'),
    )
    const json = JSON.stringify(reasons)
    expect(json).toContain(`"Says the writer will hurt someone"`)
    expect(json).toContain(`": 'kick your head in'"`)
    expect(json).not.toContain('threat.first_person')
    // one line for one reason, however often it matched
    expect(json.match(/Says the writer/g)).toHaveLength(1)
    const last = msg.blocks.at(-1)
    expect(last?.type).toBe('context')
    expect(JSON.stringify(last)).toContain('rules threat.first_person')
  })

  it('is compact: no header, at most five buttons in one actions block, seven blocks at most', () => {
    const msg = reviewMessage(threat(), now)
    expect(msg.blocks.some((b) => b.type === 'header')).toBe(false)
    const actions = msg.blocks.filter((b) => b.type === 'actions')
    expect(actions).toHaveLength(1)
    const buttons = (actions[0] as { elements: { text: { text: string } }[] }).elements
    expect(buttons.length).toBeLessThanOrEqual(5)
    // short labels: five fit one row or two short ones on a 360 px screen
    expect(buttons.every((b) => b.text.text.length <= 12)).toBe(true)
    expect(msg.blocks.length).toBeLessThanOrEqual(7)
  })

  it('drops the matched words with the text once retention has purged it', () => {
    const json = JSON.stringify(reviewMessage({ ...threat(), text: null }, now).blocks)
    expect(json).toContain('The text was purged under the retention policy.')
    expect(json).not.toContain('kick your head in')
    expect(json).toContain('Says the writer will hurt someone')
  })
})

describe('preset reasons in the explanation form', () => {
  it("offers the policy's reasons, the item's own category first", () => {
    const item = threat()
    const view = explainModal(item, {
      subjectKey: item.subjectKey,
      verdict: 'remove',
      channel: 'C1',
      messageTs: '1.1',
    })
    const select = view.blocks.find((b) => b.type === 'input' && b.block_id === 'preset') as {
      element: { type: string; options: { text: { text: string }; value: string }[] }
    }
    expect(select.element.type).toBe('static_select')
    expect(select.element.options[0]?.value).toBe('threat')
    expect(select.element.options.every((o) => o.text.text.length <= 75)).toBe(true)
    const keep = explainModal(item, {
      subjectKey: item.subjectKey,
      verdict: 'keep',
      channel: 'C1',
      messageTs: '1.1',
    })
    expect(JSON.stringify(keep.blocks)).toContain('Political criticism, which the policy protects')
  })

  async function submitted(values: Record<string, unknown>) {
    const item = threat()
    h = await httpHarness([item], { [item.accountId]: [admin] })
    const at = await h.post(item)
    await h.click(admin, 'remove', item, at)
    await h.settle()
    const view = h.sim.views[0]
    if (!view) throw new Error('no form')
    const harness = h
    const res = await sendInteraction(
      'http://wardguard.test/slack/events',
      viewSubmissionPayload({ userId: admin, view, values }),
      { signingSecret, fetch: (req: Request) => harness.http.fetch(req) },
    )
    await h.settle()
    return { res, decided: h.review.decideCalls }
  }

  it('takes a preset alone (two taps), or a preset with own words, as the explanation', async () => {
    const preset = {
      preset: { choice: { type: 'static_select', selected_option: { value: 'threat' } } },
    }
    const one = await submitted(preset)
    expect(one.decided.map((d) => d.explanation)).toEqual([
      'It threatens violence or harm, which the council’s comment policy does not allow.',
    ])
    await h?.close()
    const two = await submitted({
      ...preset,
      explanation: { text: { type: 'plain_text_input', value: 'Reported to the police.' } },
    })
    expect(two.decided.map((d) => d.explanation)).toEqual([
      'It threatens violence or harm, which the council’s comment policy does not allow. Reported to the police.',
    ])
  })

  it('refuses a forged preset value as no reason at all', async () => {
    const { decided } = await submitted({
      preset: { choice: { type: 'static_select', selected_option: { value: 'constructor' } } },
    })
    expect(decided).toEqual([])
  })
})
