import { afterEach, describe, expect, it } from '@jest/globals'
import { ResultCache } from '../../../src/cache/result-cache.js'
import type { CompiledConfig } from '../../../src/config/compiled.js'
import { parseAuthenticationConfig } from '../../../src/config/load.js'
import type { IssuerStatus } from '../../../src/issuer/issuer-status.js'
import { silentLogger } from '../../../src/log/logger.js'
import { WebhookMetrics } from '../../../src/metrics/registry.js'
import { ManualMonotonicClock } from '../../../src/runtime/clock.js'
import { ConfigReloader, changedIssuers } from '../../../src/server/config-reloader.js'
import type { ConfigAuthenticator } from '../../../src/token/authenticator.js'
import { parsePrometheusText, total } from '../../helpers/prometheus-text.js'

/** Issuers whose discovery "succeeds"; the fake authenticators read it live. */
const reachable = new Set<string>()

class FakeAuthenticator implements ConfigAuthenticator {
  closed = false
  constructor(readonly config: CompiledConfig) {}
  async authenticate() {
    return { kind: 'not-mine' as const }
  }
  issuers(): IssuerStatus[] {
    return this.config.jwt.map((e) => {
      const ok = reachable.has(e.issuer.url)
      return {
        url: e.issuer.url,
        issuerHash: e.issuerHash,
        ready: ok,
        conditions: [
          {
            type: 'DiscoveryValid',
            status: ok ? 'True' : 'False',
            reason: ok ? 'Success' : 'DiscoveryFailed',
            message: '',
          },
        ],
      }
    })
  }
  async waitForFirstAttempts() {}
  async close() {
    this.closed = true
  }
}

function configText(...urls: string[]): string {
  return JSON.stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    jwt: urls.map((url) => ({
      issuer: { url, audiences: ['kubernetes'] },
      claimMappings: { username: { claim: 'sub', prefix: '' } },
    })),
  })
}

function compiled(text: string): CompiledConfig {
  const parsed = parseAuthenticationConfig(text)
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  return parsed.config
}

const P = configText('https://p.example')
const X = configText('https://p.example', 'https://unreachable.example')
const Y = configText('https://p.example', 'https://y.example')

let reloader: ConfigReloader | undefined
/** The reloader's time: its ready timeout, retries and retirement move only with it. */
let clock = new ManualMonotonicClock()
afterEach(async () => {
  await reloader?.close()
  reloader = undefined
  reachable.clear()
})

function setup(): {
  reloader: ConfigReloader
  metrics: WebhookMetrics
  built: FakeAuthenticator[]
} {
  const built: FakeAuthenticator[] = []
  const metrics = new WebhookMetrics({ apiserverId: 'unit', defaultMetrics: false })
  const initial = compiled(P)
  clock = new ManualMonotonicClock()
  reloader = new ConfigReloader({
    path: '/nonexistent/config.yaml',
    initial: {
      config: initial,
      authenticator: new FakeAuthenticator(initial),
      bytes: Buffer.from(P),
    },
    build: (config) => {
      const a = new FakeAuthenticator(config)
      built.push(a)
      return a
    },
    cache: new ResultCache({ ttlMs: 1000 }),
    logger: silentLogger,
    metrics,
    readyTimeoutMs: 150,
    retryIntervalMs: 50,
    retireAfterMs: 10,
    monotonic: clock,
  })
  return { reloader, metrics, built }
}

const activeUrls = (r: ConfigReloader): string[] => r.active.config.jwt.map((e) => e.issuer.url)
/** Lets every promise that can move without time passing do so. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}
/** `ms` of the reloader's time passing, 10 ms at a time, each step settled. */
async function elapse(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 10) {
    clock.advance(10)
    await settle()
  }
}
/** `work`'s result, with the reloader's time passing until it settles. */
async function withTime<T>(work: Promise<T>): Promise<T> {
  let done = false
  void work.finally(() => (done = true))
  for (let step = 0; step < 1000; step++) {
    await settle()
    if (done) return work
    clock.advance(10)
  }
  throw new Error('still pending after 10 s of reloader time')
}
async function reloadCounts(
  metrics: WebhookMetrics,
): Promise<{ success: number; failure: number }> {
  const m = parsePrometheusText(await metrics.render())
  const name = 'apiserver_authentication_config_controller_automatic_reloads_total'
  return {
    success: total(m, name, { status: 'success' }),
    failure: total(m, name, { status: 'failure' }),
  }
}

describe('ConfigReloader', () => {
  it('newer content supersedes an attempt still waiting for its issuers', async () => {
    reachable.add('https://p.example').add('https://y.example')
    const { reloader, metrics, built } = setup()
    const waitingX = reloader.apply(Buffer.from(X)) // waits: unreachable issuer
    await elapse(20)
    await reloader.apply(Buffer.from(Y))
    expect(activeUrls(reloader)).toEqual(['https://p.example', 'https://y.example'])
    reachable.add('https://unreachable.example') // X would now be ready
    await withTime(waitingX)
    await elapse(200)
    expect(activeUrls(reloader)).toEqual(['https://p.example', 'https://y.example'])
    expect(await reloadCounts(metrics)).toEqual({ success: 1, failure: 0 })
    expect(built[0]?.closed).toBe(true) // X's authenticator was abandoned
  })

  it('a scheduled retry is cancelled by newer content, also when the file reverts to what is in force', async () => {
    reachable.add('https://p.example')
    const { reloader, metrics } = setup()
    await withTime(reloader.apply(Buffer.from(X))) // not ready within 150 ms: failure, retry scheduled
    expect(await reloadCounts(metrics)).toEqual({ success: 0, failure: 1 })
    await reloader.apply(Buffer.from(P)) // reverted to the config in force
    reachable.add('https://unreachable.example')
    await elapse(300)
    expect(activeUrls(reloader)).toEqual(['https://p.example'])
    expect(await reloadCounts(metrics)).toEqual({ success: 0, failure: 1 })
  })

  it('an unready config is retried until its issuers answer, then applied once', async () => {
    reachable.add('https://p.example')
    const { reloader, metrics } = setup()
    await withTime(reloader.apply(Buffer.from(X)))
    await elapse(250)
    const { failure } = await reloadCounts(metrics)
    expect(failure).toBeGreaterThanOrEqual(2)
    expect(activeUrls(reloader)).toEqual(['https://p.example'])
    reachable.add('https://unreachable.example')
    await elapse(250)
    expect(activeUrls(reloader)).toEqual(['https://p.example', 'https://unreachable.example'])
    expect((await reloadCounts(metrics)).success).toBe(1)
  })

  it.each([
    { name: 'the same bytes as in force', bytes: P, counts: { success: 0, failure: 0 } },
    { name: 'undecodable bytes', bytes: 'kind: [', counts: { success: 0, failure: 1 } },
  ])('$name: counted as $counts', async ({ bytes, counts }) => {
    const { reloader, metrics } = setup()
    await reloader.apply(Buffer.from(bytes))
    await reloader.apply(Buffer.from(bytes))
    expect(await reloadCounts(metrics)).toEqual(counts)
    expect(activeUrls(reloader)).toEqual(['https://p.example'])
  })
})

describe('changedIssuers', () => {
  it.each([
    { name: 'identical', before: P, after: P, want: [] },
    { name: 'one added', before: P, after: Y, want: ['https://y.example'] },
    { name: 'one removed', before: Y, after: P, want: ['https://y.example'] },
  ])('$name', ({ before, after, want }) => {
    expect(changedIssuers(compiled(before), compiled(after))).toEqual(want)
  })
})
