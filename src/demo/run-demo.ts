import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  facebookCommentBody,
  sendFacebookWebhook,
  startGraphSimulator,
} from '../../test/simulators/graph-sim.js'
import { startSlackSim } from '../../test/simulators/slack-sim.js'
import { startXSimulator } from '../../test/simulators/x-sim.js'
import { getStatus } from '../audit/index.js'
import { loadConfig } from '../config/load.js'
import { WardguardService } from '../service.js'
import { reviewOneItem } from './review-demo.js'
import { FACEBOOK_SAMPLES, X_SAMPLES } from './samples.js'

const PAGE_ID = '100000000000001'
const X_USER_ID = '2000000000000000001'

const DEMO_YAML = `
council: { name: Demo Borough Council, contact: comms@example.gov.uk }
accounts:
  - id: cllr-demo
    platform: facebook
    pageId: "${PAGE_ID}"
    name: Cllr Dee Demo (Riverside ward)
    owner: { name: Dee Demo }
    tokenEnv: DEMO_FB_TOKEN
    review: { channel: C0DEMOREVIEW, moderators: [U0DEMOADMIN] }
  - id: cllr-demo-x
    platform: x
    userId: "${X_USER_ID}"
    handle: CllrDemo
    name: Cllr Dee Demo on X
    owner: { name: Dee Demo }
    tokenEnv: DEMO_X_TOKEN
    ingest: poll
    review: { channel: C0DEMOREVIEW, moderators: [U0DEMOADMIN] }
`

export type DemoOptions = {
  /**
   * Keep the service and simulators running after the demo, with a sign-in for the audit web
   * app, until Ctrl-C; the data directory is kept afterwards. Resolve `untilStopped` to stop.
   */
  keep?: boolean
  untilStopped?: () => Promise<void>
}

type Row = { where: string; author: string; text: string; expect: string; subjectKey: string }

/**
 * `wardguard demo`: the whole service on its embedded defaults, wired to local Facebook Graph
 * and X simulators. Sample comments arrive as signed webhooks (Facebook) and through the
 * poller (X); the demo prints what the service decided and what it did on each platform.
 */
export async function runDemo(
  out: NodeJS.WritableStream = process.stdout,
  opts: DemoOptions = {},
): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wardguard-demo-'))
  const graph = await startGraphSimulator({ pages: { [PAGE_ID]: 'demo-page-token' } })
  const x = await startXSimulator()
  const slack = await startSlackSim({ botToken: 'xoxb-demo' })
  let service: WardguardService | null = null
  try {
    const configFile = path.join(dataDir, 'wardguard.yaml')
    writeFileSync(configFile, DEMO_YAML)
    const config = loadConfig({
      env: {
        DATA_DIR: dataDir,
        WARDGUARD_CONFIG: configFile,
        LOG_LEVEL: 'warn',
        DEMO_FB_TOKEN: 'demo-page-token',
        DEMO_X_TOKEN: 'demo-x-token',
        FACEBOOK_APP_SECRET: 'demo-app-secret',
        FACEBOOK_VERIFY_TOKEN: 'demo-verify',
        FACEBOOK_GRAPH_URL: graph.url,
        X_API_URL: x.url,
        X_POLL_INTERVAL_SECONDS: '1',
        SLACK_BOT_TOKEN: 'xoxb-demo',
        SLACK_SIGNING_SECRET: 'demo-signing-secret',
        SLACK_API_URL: slack.url,
      },
    })
    out.write(
      'Starting Wardguard with its own Redis and PGlite, and local Facebook and X simulators…\n',
    )
    // @NOTE the X account's token exists before the service starts: its poller reads mentions
    // at once, and a token added afterwards made every run log a 401 from X
    x.state.addUser({ id: X_USER_ID, username: 'CllrDemo', token: 'demo-x-token' })
    service = await WardguardService.start(config, { port: 0 })
    out.write(
      `Service at ${service.url}; Graph simulator at ${graph.url}; X simulator at ${x.url}\n\n`,
    )

    const rows: Row[] = []
    const comments = FACEBOOK_SAMPLES.map((s, i) =>
      graph.state.seedComment({
        pageId: PAGE_ID,
        from: { id: String(9_000 + i), name: s.author },
        message: s.text,
      }),
    )
    FACEBOOK_SAMPLES.forEach((s, i) => {
      rows.push({ where: 'Facebook', ...s, subjectKey: `facebook.${comments[i]?.id}` })
    })
    const sent = await sendFacebookWebhook(
      `${service.url}/webhooks/facebook`,
      facebookCommentBody(comments),
      'demo-app-secret',
    )
    out.write(
      `Facebook delivered ${comments.length} comments in one signed webhook: HTTP ${sent.status}\n`,
    )

    const post = x.state.addTweet({
      authorId: X_USER_ID,
      text: 'Consultation on the new bin rounds opens today.',
    })
    X_SAMPLES.forEach((s, i) => {
      const user = x.state.addUser({ id: String(5_000 + i), username: s.author })
      const tweet = x.state.addTweet({ authorId: user.id, text: s.text, replyTo: post.id })
      rows.push({ where: 'X', ...s, subjectKey: `x.${tweet.id}` })
    })
    out.write(`X: ${X_SAMPLES.length} replies posted; the poller will find them\n\n`)

    const db = service.db
    const deadline = Date.now() + 30_000
    for (;;) {
      const statuses = await Promise.all(rows.map((r) => getStatus(db, r.subjectKey)))
      const settled = statuses.every(
        (s) =>
          s !== null &&
          s.lastDecision !== null &&
          (s.lastDecision !== 'act' || s.lastAction !== null),
      )
      if (settled || Date.now() > deadline) break
      await new Promise((r) => setTimeout(r, 200))
    }

    for (const row of rows) {
      const status = await getStatus(db, row.subjectKey)
      const onPlatform =
        row.where === 'Facebook'
          ? graph.state.comment(row.subjectKey.slice('facebook.'.length))?.isHidden
          : x.state.tweet(row.subjectKey.slice('x.'.length))?.hidden
      const decided =
        status?.lastDecision === 'act' ? 'hide' : (status?.lastDecision ?? 'undecided')
      const categories = status?.categories?.length ? ` (${status.categories.join(', ')})` : ''
      const review = status?.reviewState === 'open' ? ', sent to Slack review' : ''
      out.write(`${row.where.padEnd(8)} ${row.author}: "${row.text}"\n`)
      out.write(`         expected  ${row.expect}\n`)
      out.write(
        `         wardguard ${decided}${categories}${review}; ${onPlatform ? 'HIDDEN on the platform' : 'visible on the platform'}\n\n`,
      )
    }
    const defamation = rows.find((r) => r.expect.startsWith('review'))
    if (defamation) {
      await reviewOneItem({ out, service, slack, graph, subjectKey: defamation.subjectKey })
    }
    out.write(
      `Readiness: ${(await fetch(`${service.url}/readyz`)).status === 200 ? 'ready' : 'NOT ready'}\n`,
    )
    if (opts.keep) await keepRunning(out, service, dataDir, opts.untilStopped)
  } finally {
    await service?.stop()
    await graph.stop()
    await x.stop()
    await slack.close()
    if (opts.keep) out.write(`The demo's data is kept in ${dataDir}\n`)
    else rmSync(dataDir, { recursive: true, force: true })
  }
}

/** --keep: a sign-in for the audit web app, then wait for Ctrl-C with everything still up. */
async function keepRunning(
  out: NodeJS.WritableStream,
  service: WardguardService,
  dataDir: string,
  untilStopped: (() => Promise<void>) | undefined,
): Promise<void> {
  const { addUser } = await import('../web/users.js')
  // a password of this run's own: the demo listens on loopback, but nothing shared is guessable
  const password = randomBytes(12).toString('base64url')
  await addUser(service.db, { username: 'demo', role: 'admin', accountIds: [], password })
  out.write(
    '\nThe demo keeps running so you can look around (Ctrl-C to stop):\n' +
      `  audit web app  ${service.url}/signin  user: demo  password: ${password}\n` +
      `  decisions      ${service.url}/audit/decisions\n` +
      `  data           ${dataDir} (kept after you stop)\n`,
  )
  await (untilStopped ?? (() => new Promise<void>(() => undefined)))()
}
