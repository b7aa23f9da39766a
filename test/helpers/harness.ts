import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../../src/config/load.js'
import { type ServiceOptions, WardguardService } from '../../src/service.js'
import {
  facebookCommentBody,
  type GraphSimulator,
  sendFacebookWebhook,
  startGraphSimulator,
} from '../simulators/graph-sim.js'
import { startXSimulator, type XSimulator } from '../simulators/x-sim.js'
import { tempDir } from './tmp.js'

export const PAGE_ID = '100000000000001'
export const PAGE_TOKEN = 'page-token-1'
export const X_USER_ID = '2000000000000000001'
export const X_TOKEN = 'x-token-1'
export const APP_SECRET = 'test-app-secret'
export const REVIEW_CHANNEL = 'C0REVIEW1'
export const MODERATOR = 'U0ADMIN1'
export const MODERATOR2 = 'U0ADMIN2'

export function accountsYaml(opts: { xIngest?: 'poll' | 'webhook' } = {}): string {
  return `
council: { name: Test Borough Council }
accounts:
  - id: cllr-test
    platform: facebook
    pageId: "${PAGE_ID}"
    name: Cllr Test
    owner: { name: Tess Test }
    tokenEnv: FB_TOKEN_TEST
    review:
      channel: ${REVIEW_CHANNEL}
      moderators: [${MODERATOR}, ${MODERATOR2}]
      replyWithExplanation: true
  - id: cllr-test-x
    platform: x
    userId: "${X_USER_ID}"
    handle: CllrTest
    name: Cllr Test on X
    owner: { name: Tess Test }
    tokenEnv: X_TOKEN_TEST
    ingest: ${opts.xIngest ?? 'poll'}
    review: { channel: ${REVIEW_CHANNEL}, moderators: [${MODERATOR}] }
`
}

export type Harness = {
  service: WardguardService
  graph: GraphSimulator
  x: XSimulator
  dataDir: string
  env: Record<string, string>
  /** seeds comments at the Graph simulator and delivers them in one signed webhook */
  deliver(
    comments: {
      text: string
      author?: string
      authorId?: string
      postId?: string
      /** default PAGE_ID, the YAML Page */
      pageId?: string
    }[],
  ): Promise<{ status: number; ids: string[]; body: unknown }>
  restart(env?: Record<string, string>, opts?: ServiceOptions): Promise<WardguardService>
  stop(): Promise<void>
}

/**
 * A whole Wardguard on this machine: its own redis-server and PGlite in a scratch DATA_DIR,
 * and the Graph and X simulators with the real SDKs pointed at them.
 */
export async function startHarness(
  opts: {
    /** extra environment; a function when it needs the simulators' addresses or app ids */
    env?:
      | Record<string, string>
      | ((sims: { graph: GraphSimulator; x: XSimulator }) => Record<string, string>)
    service?: ServiceOptions
    xIngest?: 'poll' | 'webhook'
  } = {},
): Promise<Harness> {
  const tmp = tempDir('wardguard-it-')
  const graph = await startGraphSimulator({ pages: { [PAGE_ID]: PAGE_TOKEN } })
  const x = await startXSimulator()
  x.state.addUser({ id: X_USER_ID, username: 'CllrTest', token: X_TOKEN })
  const configFile = path.join(tmp.dir, 'wardguard.yaml')
  writeFileSync(configFile, accountsYaml({ xIngest: opts.xIngest }))
  const env: Record<string, string> = {
    DATA_DIR: tmp.dir,
    WARDGUARD_CONFIG: configFile,
    FB_TOKEN_TEST: PAGE_TOKEN,
    X_TOKEN_TEST: X_TOKEN,
    FACEBOOK_APP_SECRET: APP_SECRET,
    FACEBOOK_VERIFY_TOKEN: 'verify-me',
    X_CONSUMER_SECRET: 'x-consumer-secret',
    FACEBOOK_GRAPH_URL: graph.url,
    X_API_URL: x.url,
    X_POLL_INTERVAL_SECONDS: '1',
    // @NOTE the workers on the test's own thread, where a test can reach them (the token check,
    // the strike store); test/pipeline/workers-thread.test.ts runs the default, WORKERS=thread
    WORKERS: 'inline',
    // where the Connect buttons send the person: the simulators' sign-in pages
    FACEBOOK_DIALOG_URL: graph.url,
    X_AUTHORIZE_URL: `${x.url}/i/oauth2/authorize`,
    ...(typeof opts.env === 'function' ? opts.env({ graph, x }) : opts.env),
  }
  const start = (e: Record<string, string>, o?: ServiceOptions) =>
    WardguardService.start(loadConfig({ env: e }), { port: 0, ...opts.service, ...o })
  let service = await start(env)
  let counter = 0
  const harness: Harness = {
    get service() {
      return service
    },
    graph,
    x,
    dataDir: tmp.dir,
    env,
    async deliver(comments) {
      const seeded = comments.map((c) =>
        graph.state.seedComment({
          pageId: c.pageId ?? PAGE_ID,
          from: { id: c.authorId ?? String(7_000 + counter++), name: c.author ?? 'A Resident' },
          message: c.text,
          postId: c.postId,
        }),
      )
      const res = await sendFacebookWebhook(
        `${service.url}/webhooks/facebook`,
        facebookCommentBody(seeded),
        APP_SECRET,
      )
      return {
        status: res.status,
        ids: seeded.map((s) => s.id),
        body: JSON.parse(res.body || '{}'),
      }
    },
    async restart(newEnv, o) {
      await service.stop()
      Object.assign(env, newEnv)
      service = await start(env, o)
      return service
    },
    async stop() {
      await service.stop()
      await graph.stop()
      await x.stop()
      tmp.cleanup()
    },
  }
  return harness
}

/** Polls until the check passes or the time runs out, then returns the last value. */
export async function waitFor<T>(
  check: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (done(value) || Date.now() > deadline) return value
    await new Promise((r) => setTimeout(r, 100))
  }
}
