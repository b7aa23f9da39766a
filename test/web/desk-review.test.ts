import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventsForSubject, getStatus } from '../../src/audit/index.js'
import { actionIdFor } from '../../src/connectors/slack/blocks.js'
import { verdictOutcome } from '../../src/connectors/slack/format.js'
import { addUser } from '../../src/web/index.js'
import {
  type Harness,
  MODERATOR,
  MODERATOR2,
  REVIEW_CHANNEL,
  startHarness,
  waitFor,
} from '../helpers/harness.js'
import {
  blockActionsPayload,
  type SlackSim,
  sendInteraction,
  startSlackSim,
} from '../simulators/slack-sim.js'
import { PASSWORD } from './fixtures.js'

const BOT = 'xoxb-desk-bot'
const SIGNING = 'desk-signing-secret'
const ALLEGATION =
  'Cllr Okafor has been stealing from the ward budget for years, everyone knows it.'

/** A signed-in browser over fetch: cookies, the CSRF token of the last page, our Origin. */
class WebClient {
  private cookies = new Map<string, string>()
  csrf = ''
  private readonly base: string
  constructor(base: string) {
    this.base = base
  }
  async get(path: string): Promise<{ status: number; text: string; url: string }> {
    const res = await fetch(`${this.base}${path}`, {
      headers: { cookie: this.cookie(), accept: 'text/html' },
      redirect: 'manual',
    })
    this.keep(res)
    const text = await res.text()
    const m = /name="_csrf" value="([^"]*)"/.exec(text)
    if (m?.[1]) this.csrf = m[1]
    return { status: res.status, text, url: res.headers.get('location') ?? path }
  }
  async post(path: string, fields: [string, string][]): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: {
        cookie: this.cookie(),
        origin: this.base,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams([['_csrf', this.csrf], ...fields]),
      redirect: 'manual',
    })
    this.keep(res)
    return res
  }
  async signIn(username: string) {
    await this.get('/signin')
    await this.post('/signin', [
      ['username', username],
      ['password', PASSWORD],
      ['next', '/audit/queue'],
    ])
    // the session's own form token, as a browser gets it from the next page
    await this.get('/audit/queue')
  }
  private cookie() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const [k, ...v] = (pair ?? '').split('=')
      if (k) this.cookies.set(k, v.join('='))
    }
  }
}

describe('the review desk on the web, beside Slack', () => {
  let h: Harness
  let slack: SlackSim
  beforeAll(async () => {
    slack = await startSlackSim({ botToken: BOT })
    h = await startHarness({
      env: { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: slack.url },
    })
    const db = h.service.db
    await addUser(db, {
      username: 'priya',
      role: 'admin',
      password: PASSWORD,
      displayName: 'Priya Patel',
      slackUserId: MODERATOR,
    })
    await addUser(db, {
      username: 'sam',
      role: 'admin',
      password: PASSWORD,
      displayName: 'Sam Shah',
      slackUserId: MODERATOR2,
    })
    await addUser(db, { username: 'reader', role: 'auditor', password: PASSWORD })
  }, 120_000)
  afterAll(async () => {
    await h?.stop()
    await slack?.close()
  })

  async function posted(text: string) {
    const [id] = (await h.deliver([{ text, author: 'Rita Rumour' }])).ids as [string]
    const subjectKey = `facebook.${id}`
    const message = await waitFor(
      async () => slack.messages.find((m) => JSON.stringify(m.blocks).includes(subjectKey)),
      Boolean,
      60_000,
    )
    if (!message) throw new Error('no review message was posted')
    return { id, subjectKey, message }
  }

  const seenRef = async (subjectKey: string) => {
    const status = await getStatus(h.service.db, subjectKey)
    return `${subjectKey}|${status?.lastEventId}`
  }

  it('decides a queue item on the web through the act queue, and Slack’s message shows it', async () => {
    const { id, subjectKey, message } = await posted(ALLEGATION)
    const web = new WebClient(h.service.url)
    await web.signIn('priya')
    const queue = await web.get('/audit/queue')
    expect(queue.text).toContain(subjectKey)
    // Slack's buttons, all five
    for (const v of ['remove', 'hide', 'keep', 'ban', 'escalate'])
      expect(queue.text).toContain(`name="verdict" value="${v}"`)
    // Remove without words: asked why first, as Slack's modal does; nothing recorded yet
    const ref = await seenRef(subjectKey)
    const ask = await web.post('/audit/act', [
      ['subject', ref],
      ['verdict', 'remove'],
      ['back', '/audit/queue'],
    ])
    expect(ask.status).toBe(200)
    expect(await ask.text()).toContain('Why?')
    expect((await eventsForSubject(h.service.db, subjectKey)).map((e) => e.type)).not.toContain(
      'review.resolved',
    )
    const done = await web.post('/audit/act', [
      ['subject', ref],
      ['verdict', 'remove'],
      ['explanation', 'An unproven allegation of theft against a named councillor.'],
      ['back', '/audit/queue'],
    ])
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toContain('done=1')
    const events = await waitFor(
      () => eventsForSubject(h.service.db, subjectKey),
      (e) => e.some((x) => x.type === 'action.applied'),
      60_000,
    )
    const resolved = events.find((e) => e.type === 'review.resolved')
    expect(resolved?.actor.id).toBe(`slack/${MODERATOR}`)
    expect(resolved?.tool?.name).toBe('web')
    expect(h.graph.state.comment(id)?.deleted).toBe(true)
    // Slack's message now says what happened, and has no buttons left
    const updated = slack.message(REVIEW_CHANNEL, message.ts)
    expect(updated?.updates).toBeGreaterThan(0)
    const blocks = JSON.stringify(updated?.blocks)
    expect(blocks).toContain(verdictOutcome('remove', { platform: 'facebook', hidden: false }))
    expect(blocks).toContain(`<@${MODERATOR}>`)
    expect(blocks).not.toContain(actionIdFor('keep'))
    // the comment page says it in words, with the name
    const page = await web.get(`/audit/comments/${encodeURIComponent(subjectKey)}`)
    expect(page.text).toContain('Removed by Priya Patel')
  }, 180_000)

  it('shows a Slack decision that came first, and does not apply the web’s', async () => {
    const { subjectKey, message } = await posted(
      'Cllr Okafor is taking bribes from the developer, everyone knows it.',
    )
    const web = new WebClient(h.service.url)
    await web.signIn('sam')
    const ref = await seenRef(subjectKey)
    const click = await sendInteraction(
      `${h.service.url}/slack/events`,
      blockActionsPayload({
        userId: MODERATOR,
        channel: REVIEW_CHANNEL,
        messageTs: message.ts,
        actionId: actionIdFor('hide'),
        value: subjectKey,
        triggerId: slack.issueTrigger(),
      }),
      { signingSecret: SIGNING },
    )
    expect(click.status).toBe(200)
    await waitFor(
      () => eventsForSubject(h.service.db, subjectKey),
      (e) => e.some((x) => x.type === 'review.resolved'),
    )
    const late = await web.post('/audit/act', [
      ['subject', ref],
      ['verdict', 'keep'],
      ['explanation', 'Fair comment about a public figure.'],
      ['back', '/audit/queue'],
    ])
    expect(late.status).toBe(303)
    expect(late.headers.get('location')).toContain('already=1')
    const resolved = (await eventsForSubject(h.service.db, subjectKey)).filter(
      (e) => e.type === 'review.resolved',
    )
    expect(resolved).toHaveLength(1)
    expect(resolved[0]?.meta.verdict).toBe('hide')
    const banner = await web.get(late.headers.get('location') as string)
    expect(banner.text).toContain('already been decided by someone else')
    const page = await web.get(`/audit/comments/${encodeURIComponent(subjectKey)}`)
    expect(page.text).toContain('Hidden by Priya Patel')
  }, 180_000)

  it('hides several comments with one explanation, and lets only moderators act', async () => {
    const res = await h.deliver([
      { text: 'The new cycle lane on Station Road is a waste of money.' },
      { text: 'Why are the bins still not collected on Elm Street?' },
    ])
    const keys = res.ids.map((id) => `facebook.${id}`)
    for (const k of keys) {
      await waitFor(
        () => eventsForSubject(h.service.db, k),
        (e) => e.some((x) => x.type === 'decision.made'),
      )
    }
    const reader = new WebClient(h.service.url)
    await reader.signIn('reader')
    const refs = await Promise.all(keys.map(seenRef))
    const refused = await reader.post('/audit/act', [
      ...refs.map((r): [string, string] => ['subject', r]),
      ['verdict', 'hide'],
    ])
    expect(refused.status).toBe(403)
    const web = new WebClient(h.service.url)
    await web.signIn('priya')
    await web.get('/audit/decisions')
    const bulk = await web.post('/audit/act', [
      ...refs.map((r): [string, string] => ['subject', r]),
      ['verdict', 'hide'],
      ['explanation', 'Hidden while the thread is checked for a pile-on.'],
      ['back', '/audit/decisions'],
    ])
    expect(bulk.status).toBe(303)
    expect(bulk.headers.get('location')).toContain('done=2')
    for (const k of keys) {
      const events = await waitFor(
        () => eventsForSubject(h.service.db, k),
        (e) => e.some((x) => x.type === 'action.applied'),
        60_000,
      )
      const r = events.find((e) => e.type === 'review.resolved')
      expect(r?.reason).toBe('Hidden while the thread is checked for a pile-on.')
      expect(r?.meta.verdict).toBe('hide')
    }
    // and back again: a later state can be decided again (unhide needs words)
    const again = await Promise.all(keys.map(seenRef))
    const unhide = await web.post('/audit/act', [
      ['subject', again[0] as string],
      ['verdict', 'keep'],
      ['explanation', 'Checked: an ordinary complaint about the bins.'],
    ])
    expect(unhide.status).toBe(303)
    await waitFor(
      () => getStatus(h.service.db, keys[0] as string),
      (s) => s?.visibility === 'visible',
      60_000,
    )
  }, 240_000)
})
