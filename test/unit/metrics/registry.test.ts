import { describe, expect, it } from '@jest/globals'
import { register as globalRegistry } from 'prom-client'
import { ResultCache } from '../../../src/cache/result-cache.js'
import {
  NO_ISSUER,
  WebhookMetrics,
  httpCodeLabel,
  httpPathLabel,
  sha256Label,
  type WebhookMetricsOptions,
} from '../../../src/metrics/registry.js'
import { fixedClock } from '../../../src/runtime/clock.js'
import { TokenRejected, type RejectReason } from '../../../src/token/types.js'

/** 2026-11-22T00:00:00Z. */
const NOW = new Date(Date.UTC(2026, 10, 22, 0, 0, 0))
const NOW_S = NOW.getTime() / 1000
const POD = 'kube-oidc-webhook-7d9f8-abcde'
const ISSUER = 'https://issuer.example.com'
const ISS = sha256Label(ISSUER)
const TOKEN =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2V2aWwuZXhhbXBsZSIsInN1YiI6InNlY3JldC11c2VyIn0.c2lnbmF0dXJlLXNlY3JldA'

function makeMetrics(options: Partial<WebhookMetricsOptions> = {}): WebhookMetrics {
  return new WebhookMetrics({
    apiserverId: POD,
    clock: fixedClock(NOW),
    defaultMetrics: false,
    ...options,
  })
}

/**
 * Parses the Prometheus text format into `name{k="v",...}` (labels sorted) -> value.
 * Enough for our series: no escaped quotes in label values.
 */
function parse(text: string): Map<string, number> {
  const series = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (m === null) throw new Error(`unparsable line: ${line}`)
    const [, name, rawLabels, value] = m
    const labels = [...(rawLabels ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)]
      .map(([, k, v]) => `${k ?? ''}="${v ?? ''}"`)
      .sort()
    series.set(`${name ?? ''}{${labels.join(',')}}`, Number(value))
  }
  return series
}

/** The series of `text` whose name starts with `prefix`. */
async function seriesOf(metrics: WebhookMetrics, prefix: string): Promise<Record<string, number>> {
  return Object.fromEntries(
    [...parse(await metrics.render())].filter(([k]) => k.startsWith(prefix)),
  )
}

const podHash = sha256Label(POD)

describe('labels', () => {
  it.each([
    { name: 'empty string', input: '', want: '' },
    {
      name: '"abc"',
      input: 'abc',
      want: 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    },
    {
      name: 'bytes of "abc"',
      input: Buffer.from('abc'),
      want: 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    },
    { name: 'no bytes', input: Buffer.alloc(0), want: '' },
  ])('sha256Label of $name', ({ input, want }) => {
    expect(sha256Label(input)).toBe(want)
  })

  it.each([
    ['/authenticate', '/authenticate'],
    ['/authenticate?timeout=30s', '/authenticate'],
    ['/healthz', '/healthz'],
    ['/readyz?verbose', '/readyz'],
    ['/metrics', '/metrics'],
    ['/authenticate/', 'other'],
    [`/${TOKEN}`, 'other'],
    ['', 'other'],
  ])('httpPathLabel(%j) = %j', (raw, want) => {
    expect(httpPathLabel(raw)).toBe(want)
  })

  it.each([
    [200, '200'],
    [413, '413'],
    [599, '599'],
    [99, 'other'],
    [600, 'other'],
    [200.5, 'other'],
    [Number.NaN, 'other'],
  ])('httpCodeLabel(%p) = %j', (code, want) => {
    expect(httpCodeLabel(code)).toBe(want)
  })
})

describe('WebhookMetrics', () => {
  it('exports exactly the catalog of series, with their types', async () => {
    const text = await makeMetrics().render()
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(
      ([, name, type]) => `${name} ${type}`,
    )
    expect(types).toEqual([
      'apiserver_authentication_jwt_authenticator_latency_seconds histogram',
      'apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds gauge',
      'apiserver_authentication_jwt_authenticator_jwks_fetch_last_key_set_info gauge',
      'apiserver_authentication_config_controller_automatic_reloads_total counter',
      'apiserver_authentication_config_controller_automatic_reload_last_timestamp_seconds gauge',
      'apiserver_authentication_config_controller_last_config_info gauge',
      'kube_oidc_webhook_reviews_total counter',
      'kube_oidc_webhook_review_duration_seconds histogram',
      'kube_oidc_webhook_rejections_total counter',
      'kube_oidc_webhook_jwks_fetch_failures_total counter',
      'kube_oidc_webhook_discovery_fetch_total counter',
      'kube_oidc_webhook_issuer_ready gauge',
      'kube_oidc_webhook_cache_requests_total counter',
      'kube_oidc_webhook_cache_entries gauge',
      'kube_oidc_webhook_verifications_total counter',
      'kube_oidc_webhook_http_requests_total counter',
      'kube_oidc_webhook_config_info gauge',
      'kube_oidc_webhook_revocation_reloads_total counter',
      'kube_oidc_webhook_revocation_list_info gauge',
      'kube_oidc_webhook_revocation_entries gauge',
      'kube_oidc_webhook_tls_reload_failures_total counter',
    ])
  })

  it('starts the cache series at zero', async () => {
    expect(await seriesOf(makeMetrics(), 'kube_oidc_webhook_cache')).toEqual({
      'kube_oidc_webhook_cache_requests_total{result="hit"}': 0,
      'kube_oidc_webhook_cache_requests_total{result="miss"}': 0,
      'kube_oidc_webhook_cache_entries{kind="positive"}': 0,
      'kube_oidc_webhook_cache_entries{kind="negative"}': 0,
    })
  })

  it.each([
    { defaultMetrics: true, present: true },
    { defaultMetrics: false, present: false },
  ])('Node process metrics present: $present', async ({ defaultMetrics, present }) => {
    const series = parse(await makeMetrics({ defaultMetrics }).render())
    expect(series.has('process_cpu_user_seconds_total{}')).toBe(present)
    expect(series.has('nodejs_heap_size_total_bytes{}')).toBe(present)
  })

  it('records authenticator latency in the upstream buckets', async () => {
    const m = makeMetrics()
    m.observeAuthenticatorLatency(ISS, 'success', 0.003)
    m.observeAuthenticatorLatency(ISS, 'failure', 0.2)
    const s = await seriesOf(m, 'apiserver_authentication_jwt_authenticator_latency_seconds')
    const buckets = [
      '0.001',
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.1',
      '0.25',
      '0.5',
      '1',
      '2.5',
      '5',
      '10',
      '+Inf',
    ]
    const name = 'apiserver_authentication_jwt_authenticator_latency_seconds'
    const success = buckets.map(
      (le) => s[`${name}_bucket{jwt_issuer_hash="${ISS}",le="${le}",result="success"}`],
    )
    const failure = buckets.map(
      (le) => s[`${name}_bucket{jwt_issuer_hash="${ISS}",le="${le}",result="failure"}`],
    )
    expect(success).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    expect(failure).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1])
    expect(s[`${name}_sum{jwt_issuer_hash="${ISS}",result="success"}`]).toBe(0.003)
    expect(s[`${name}_count{jwt_issuer_hash="${ISS}",result="failure"}`]).toBe(1)
  })

  it('records JWKS fetches: timestamps by result, one key-set hash per issuer, failures counted', async () => {
    const m = makeMetrics()
    m.recordJwksFetch(ISS, 'success', sha256Label('{"keys":[1]}'))
    m.recordJwksFetch(ISS, 'failure')
    m.recordJwksFetch(ISS, 'success', sha256Label('{"keys":[2]}'))
    const ids = `apiserver_id_hash="${podHash}",jwt_issuer_hash="${ISS}"`
    expect(await seriesOf(m, 'apiserver_authentication_jwt_authenticator_jwks')).toEqual({
      [`apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds{${ids},result="success"}`]:
        NOW_S,
      [`apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds{${ids},result="failure"}`]:
        NOW_S,
      [`apiserver_authentication_jwt_authenticator_jwks_fetch_last_key_set_info{apiserver_id_hash="${podHash}",hash="${sha256Label('{"keys":[2]}')}",jwt_issuer_hash="${ISS}"}`]: 1,
    })
    expect(await seriesOf(m, 'kube_oidc_webhook_jwks')).toEqual({
      [`kube_oidc_webhook_jwks_fetch_failures_total{jwt_issuer_hash="${ISS}"}`]: 1,
    })
  })

  it('records reloads and the config in force', async () => {
    const m = makeMetrics()
    const v1 = sha256Label('jwt: []\n')
    const v2 = sha256Label('jwt: [{}]\n')
    m.setConfigInfo(v1)
    m.recordConfigReload('failure')
    m.recordConfigReload('success', v2)
    m.recordConfigReload('success', v2)
    const id = `apiserver_id_hash="${podHash}"`
    expect(await seriesOf(m, 'apiserver_authentication_config_controller')).toEqual({
      [`apiserver_authentication_config_controller_automatic_reloads_total{${id},status="failure"}`]: 1,
      [`apiserver_authentication_config_controller_automatic_reloads_total{${id},status="success"}`]: 2,
      [`apiserver_authentication_config_controller_automatic_reload_last_timestamp_seconds{${id},status="failure"}`]:
        NOW_S,
      [`apiserver_authentication_config_controller_automatic_reload_last_timestamp_seconds{${id},status="success"}`]:
        NOW_S,
      [`apiserver_authentication_config_controller_last_config_info{${id},hash="${v2}"}`]: 1,
    })
    expect(await seriesOf(m, 'kube_oidc_webhook_config_info')).toEqual({
      [`kube_oidc_webhook_config_info{hash="${v2}"}`]: 1,
    })
  })

  it('records reviews and rejections from outcomes', async () => {
    const m = makeMetrics()
    const user = { username: 'alice', uid: '', groups: [], extra: {} }
    m.recordOutcome({ kind: 'authenticated', issuer: ISSUER, user })
    m.recordOutcome({ kind: 'authenticated', issuer: ISSUER, user })
    m.recordOutcome({ kind: 'not-mine' })
    m.recordOutcome({
      kind: 'rejected',
      issuer: ISSUER,
      rejection: new TokenRejected(
        'expired',
        'verify',
        'oidc: verify token: oidc: token is expired',
      ),
    })
    m.recordReview(NO_ISSUER, 'error')
    expect({
      ...(await seriesOf(m, 'kube_oidc_webhook_reviews_total')),
      ...(await seriesOf(m, 'kube_oidc_webhook_rejections_total')),
    }).toEqual({
      [`kube_oidc_webhook_reviews_total{jwt_issuer_hash="${ISS}",result="authenticated"}`]: 2,
      [`kube_oidc_webhook_reviews_total{jwt_issuer_hash="",result="not_mine"}`]: 1,
      [`kube_oidc_webhook_reviews_total{jwt_issuer_hash="${ISS}",result="rejected"}`]: 1,
      [`kube_oidc_webhook_reviews_total{jwt_issuer_hash="",result="error"}`]: 1,
      [`kube_oidc_webhook_rejections_total{jwt_issuer_hash="${ISS}",reason="expired"}`]: 1,
    })
  })

  it('drops a rejection reason outside the closed set', async () => {
    const m = makeMetrics()
    m.recordRejection(ISS, TOKEN as RejectReason)
    expect(await seriesOf(m, 'kube_oidc_webhook_rejections_total')).toEqual({})
  })

  it('records review duration, cache requests, verifications, discovery, readiness and HTTP requests', async () => {
    const m = makeMetrics()
    m.observeReviewDuration('hit', 0.0004)
    m.observeReviewDuration('miss', 0.03)
    m.recordCacheRequest('hit')
    m.recordCacheRequest('miss')
    m.recordCacheRequest('miss')
    m.recordVerification(ISS)
    m.recordDiscoveryFetch(ISS, 'failure')
    m.recordDiscoveryFetch(ISS, 'success')
    m.setIssuerReady(ISS, false)
    m.setIssuerReady(ISS, true)
    m.recordHttpRequest(200, httpPathLabel('/authenticate?timeout=30s'))
    m.recordHttpRequest(200, httpPathLabel('/authenticate?timeout=30s'))
    m.recordHttpRequest(404, httpPathLabel('/nope'))
    const s = await seriesOf(m, 'kube_oidc_webhook_')
    expect(s['kube_oidc_webhook_review_duration_seconds_count{cache="hit"}']).toBe(1)
    expect(s['kube_oidc_webhook_review_duration_seconds_bucket{cache="hit",le="0.001"}']).toBe(1)
    expect(s['kube_oidc_webhook_review_duration_seconds_bucket{cache="miss",le="0.025"}']).toBe(0)
    expect(s['kube_oidc_webhook_review_duration_seconds_bucket{cache="miss",le="0.05"}']).toBe(1)
    expect(s).toMatchObject({
      'kube_oidc_webhook_cache_requests_total{result="hit"}': 1,
      'kube_oidc_webhook_cache_requests_total{result="miss"}': 2,
      [`kube_oidc_webhook_verifications_total{jwt_issuer_hash="${ISS}"}`]: 1,
      [`kube_oidc_webhook_discovery_fetch_total{jwt_issuer_hash="${ISS}",result="failure"}`]: 1,
      [`kube_oidc_webhook_discovery_fetch_total{jwt_issuer_hash="${ISS}",result="success"}`]: 1,
      [`kube_oidc_webhook_issuer_ready{jwt_issuer_hash="${ISS}"}`]: 1,
      'kube_oidc_webhook_http_requests_total{code="200",path="/authenticate"}': 2,
      'kube_oidc_webhook_http_requests_total{code="404",path="other"}': 1,
    })
  })

  it('reads cache sizes from a ResultCache at scrape time', async () => {
    const m = makeMetrics()
    const cache = new ResultCache({ clock: fixedClock(NOW) })
    m.observeCache(cache)
    await cache.getOrCompute('t1', [], async () => ({ kind: 'not-mine' }))
    await cache.getOrCompute('t2', [], async () => ({
      kind: 'authenticated',
      issuer: ISSUER,
      user: { username: 'a', uid: '', groups: [], extra: {} },
      exp: NOW_S + 60,
    }))
    await cache.getOrCompute('t3', [], async () => ({ kind: 'not-mine' }))
    expect(await seriesOf(m, 'kube_oidc_webhook_cache_entries')).toEqual({
      'kube_oidc_webhook_cache_entries{kind="positive"}': 1,
      'kube_oidc_webhook_cache_entries{kind="negative"}': 2,
    })
  })

  it('forgetIssuer removes the issuer state series and keeps counters', async () => {
    const m = makeMetrics()
    const other = sha256Label('https://other.example.com')
    for (const iss of [ISS, other]) {
      m.recordJwksFetch(iss, 'success', sha256Label(`keys of ${iss}`))
      m.recordJwksFetch(iss, 'failure')
      m.setIssuerReady(iss, true)
    }
    m.forgetIssuer(ISS)
    const text = await m.render()
    const stateLines = text
      .split('\n')
      .filter((l) =>
        /^(apiserver_authentication_jwt_authenticator_jwks|kube_oidc_webhook_issuer_ready)/.test(l),
      )
    expect(stateLines.some((l) => l.includes(ISS))).toBe(false)
    expect(stateLines.filter((l) => l.includes(other))).toHaveLength(4)
    expect(
      parse(text).get(`kube_oidc_webhook_jwks_fetch_failures_total{jwt_issuer_hash="${ISS}"}`),
    ).toBe(1)
  })

  it('uses a registry of its own, never the global one', async () => {
    const a = makeMetrics()
    const b = makeMetrics()
    a.recordVerification(ISS)
    expect(
      parse(await b.render()).get(
        `kube_oidc_webhook_verifications_total{jwt_issuer_hash="${ISS}"}`,
      ),
    ).toBeUndefined()
    expect(await globalRegistry.metrics()).not.toContain('kube_oidc_webhook_')
  })

  it('never lets a token reach the output, whatever is passed where strings go in', async () => {
    const m = new WebhookMetrics({
      apiserverId: TOKEN,
      clock: fixedClock(NOW),
      defaultMetrics: true,
    })
    const fromToken = sha256Label(TOKEN)
    m.observeAuthenticatorLatency(fromToken, 'failure', 0.01)
    m.recordJwksFetch(fromToken, 'success', sha256Label(TOKEN))
    m.recordConfigReload('success', sha256Label(TOKEN))
    m.recordOutcome({
      kind: 'rejected',
      issuer: TOKEN,
      rejection: new TokenRejected('bad_signature', 'verify', `failed to verify ${TOKEN}`),
    })
    m.recordRejection(fromToken, TOKEN as RejectReason)
    m.recordHttpRequest(200, httpPathLabel(`/authenticate?token=${TOKEN}`))
    m.recordHttpRequest(400, httpPathLabel(`/${TOKEN}`))
    const text = await m.render()
    expect(text).toContain(fromToken)
    for (const part of [TOKEN, ...TOKEN.split('.')]) expect(text).not.toContain(part)
  })
})
