/**
 * Issue 4, /metrics and /readyz of the real `serve` (in process): the
 * exposition parsed as Prometheus text and each named series asserted after a
 * known sequence of reviews; one issuer down the whole time.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { sha256Label } from '../../src/metrics/labels.js'
import { httpsRequest, postJson } from '../helpers/https-client.js'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import { authConfig, issuerEntry, startOpsServe, type OpsServe } from '../helpers/ops-serve.js'
import { select, total, type Exposition } from '../helpers/prometheus-text.js'

const nowS = (): number => Math.floor(Date.now() / 1000)
const LATENCY = 'apiserver_authentication_jwt_authenticator_latency_seconds'
const JWKS_TS = 'apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds'
const KEY_SET = 'apiserver_authentication_jwt_authenticator_jwks_fetch_last_key_set_info'

describe('ops: /metrics and /readyz with one issuer up and one down', () => {
  let up: TestIssuer
  let down: TestIssuer
  let serve: OpsServe
  let upHash: string
  let downHash: string
  let m: Exposition
  const tokens: string[] = []

  beforeAll(async () => {
    up = await startTestIssuer({
      path: '/metrics-up',
      algorithms: ['RS256'],
      keyFamily: 'ops-metrics-up',
    })
    down = await startTestIssuer({
      path: '/metrics-down',
      algorithms: ['RS256'],
      keyFamily: 'ops-metrics-down',
    })
    down.knobs.down = true
    upHash = sha256Label(up.url)
    downHash = sha256Label(down.url)
    serve = await startOpsServe({
      config: authConfig(
        issuerEntry(up.url, up.caPem),
        issuerEntry(down.url, down.caPem, 'kubernetes', 'd:'),
      ),
      serve: { cacheTtlMs: 60_000 },
    })
    const claims = { iss: up.url, aud: 'kubernetes', sub: 'metrics', exp: nowS() + 600 }
    const good = up.sign(claims)
    const expired = up.sign({ ...claims, exp: nowS() - 10 })
    const wrongAud = up.sign({ ...claims, aud: 'elsewhere' })
    const notMine = up.sign({ ...claims, iss: 'https://not-configured.example' })
    const forDown = down.sign({ ...claims, iss: down.url })
    tokens.push(good, expired, wrongAud, notMine, forDown)
    for (const t of [good, good, expired, wrongAud, notMine, forDown]) {
      const res = await serve.review(t)
      if (res.statusCode !== 200) throw new Error(res.body)
    }
    const bad = await postJson(serve.url, serve.webhookCa.certPem, '{"kind":')
    if (bad.statusCode !== 400) throw new Error(`expected 400, got ${bad.statusCode}`)
    // A failed JWKS fetch: a new kid while the endpoint answers 500 (past the 1 s refetch rate limit).
    await new Promise((r) => setTimeout(r, 1100))
    up.knobs.jwks = '500'
    await serve.review(up.sign(claims, { kid: 'rotated-away' }))
    up.knobs.jwks = 'ok'
    m = await serve.scrape()
  })
  afterAll(async () => {
    await serve?.stop()
    await up?.stop()
    await down?.stop()
  })

  it('declares the type of every named series', () => {
    expect(
      Object.fromEntries(
        [
          LATENCY,
          JWKS_TS,
          KEY_SET,
          'apiserver_authentication_config_controller_automatic_reloads_total',
          'apiserver_authentication_config_controller_automatic_reload_last_timestamp_seconds',
          'apiserver_authentication_config_controller_last_config_info',
          'kube_oidc_webhook_reviews_total',
          'kube_oidc_webhook_review_duration_seconds',
          'kube_oidc_webhook_rejections_total',
          'kube_oidc_webhook_jwks_fetch_failures_total',
          'kube_oidc_webhook_cache_requests_total',
          'kube_oidc_webhook_cache_entries',
          'kube_oidc_webhook_verifications_total',
          'kube_oidc_webhook_http_requests_total',
          'process_cpu_user_seconds_total',
          'process_resident_memory_bytes',
          'nodejs_heap_size_used_bytes',
        ].map((name) => [name, m.types.get(name)]),
      ),
    ).toEqual({
      [LATENCY]: 'histogram',
      [JWKS_TS]: 'gauge',
      [KEY_SET]: 'gauge',
      apiserver_authentication_config_controller_automatic_reloads_total: 'counter',
      apiserver_authentication_config_controller_automatic_reload_last_timestamp_seconds: 'gauge',
      apiserver_authentication_config_controller_last_config_info: 'gauge',
      kube_oidc_webhook_reviews_total: 'counter',
      kube_oidc_webhook_review_duration_seconds: 'histogram',
      kube_oidc_webhook_rejections_total: 'counter',
      kube_oidc_webhook_jwks_fetch_failures_total: 'counter',
      kube_oidc_webhook_cache_requests_total: 'counter',
      kube_oidc_webhook_cache_entries: 'gauge',
      kube_oidc_webhook_verifications_total: 'counter',
      kube_oidc_webhook_http_requests_total: 'counter',
      process_cpu_user_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
    })
    expect(total(m, 'process_resident_memory_bytes')).toBeGreaterThan(0)
  })

  it('latency histogram: only tokens whose iss matched, by result, labelled sha256:<hex of url>', () => {
    expect(upHash).toBe(`sha256:${createHash('sha256').update(up.url).digest('hex')}`)
    const counts = select(m, `${LATENCY}_count`).map((s) => [
      s.labels.result,
      s.labels.jwt_issuer_hash,
      s.value,
    ])
    // up: 1 success (the second good review was a cache hit), 3 failures
    // (expired, audience, unknown kid); down: 1 failure (not initialized);
    // the not-mine token is not recorded at all.
    expect(counts.sort()).toEqual(
      [
        ['failure', downHash, 1],
        ['failure', upHash, 3],
        ['success', upHash, 1],
      ].sort(),
    )
    const buckets = select(m, `${LATENCY}_bucket`, {
      result: 'success',
      jwt_issuer_hash: upHash,
    }).map((s) => s.labels.le)
    expect(buckets).toEqual([
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
    ])
  })

  it('reviews by issuer and result, rejections by reason', () => {
    const reviews = select(m, 'kube_oidc_webhook_reviews_total').map((s) => [
      s.labels.jwt_issuer_hash,
      s.labels.result,
      s.value,
    ])
    expect(reviews.sort()).toEqual(
      [
        [upHash, 'authenticated', 2],
        [upHash, 'rejected', 3],
        [downHash, 'rejected', 1],
        ['', 'not_mine', 1],
      ].sort(),
    )
    const rejections = select(m, 'kube_oidc_webhook_rejections_total').map((s) => [
      s.labels.jwt_issuer_hash,
      s.labels.reason,
      s.value,
    ])
    expect(rejections.sort()).toEqual(
      [
        [upHash, 'expired', 1],
        [upHash, 'audience_mismatch', 1],
        [upHash, 'keys_unavailable', 1],
        [downHash, 'issuer_not_ready', 1],
      ].sort(),
    )
  })

  it('JWKS fetch timestamp by result, key-set info hash of the body, failures by issuer', async () => {
    const body = await httpsRequest({ url: up.jwksURL, ca: up.caPem })
    const id = select(m, KEY_SET)[0]?.labels.apiserver_id_hash
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(
      select(m, KEY_SET).map((s) => [s.labels.jwt_issuer_hash, s.labels.hash, s.value]),
    ).toEqual([[upHash, sha256Label(body.body), 1]])
    const ts = select(m, JWKS_TS).map((s) => [s.labels.jwt_issuer_hash, s.labels.result])
    expect(ts.sort()).toEqual([
      [upHash, 'failure'],
      [upHash, 'success'],
    ])
    for (const s of select(m, JWKS_TS))
      expect(Math.abs(s.value - Date.now() / 1000)).toBeLessThan(30)
    expect(
      select(m, 'kube_oidc_webhook_jwks_fetch_failures_total').map((s) => [
        s.labels.jwt_issuer_hash,
        s.value,
      ]),
    ).toEqual([[upHash, 1]])
  })

  it('config info, cache hits/misses/size, HTTP requests by code', () => {
    const info = select(m, 'apiserver_authentication_config_controller_last_config_info')
    expect(info).toHaveLength(1)
    expect(info[0]?.labels.hash).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(select(m, 'kube_oidc_webhook_config_info').map((s) => s.labels.hash)).toEqual([
      info[0]?.labels.hash,
    ])
    expect(total(m, 'kube_oidc_webhook_cache_requests_total', { result: 'hit' })).toBe(1)
    expect(total(m, 'kube_oidc_webhook_cache_requests_total', { result: 'miss' })).toBe(6)
    // good (positive); expired, audience, not-mine (negative); not-ready and a failed key fetch are transient, not stored.
    expect(total(m, 'kube_oidc_webhook_cache_entries', { kind: 'positive' })).toBe(1)
    expect(total(m, 'kube_oidc_webhook_cache_entries', { kind: 'negative' })).toBe(3)
    expect(
      total(m, 'kube_oidc_webhook_http_requests_total', { code: '200', path: '/authenticate' }),
    ).toBe(7)
    expect(
      total(m, 'kube_oidc_webhook_http_requests_total', { code: '400', path: '/authenticate' }),
    ).toBe(1)
  })

  it('no label value carries a token, a token segment or a raw URL', () => {
    const values = m.samples.flatMap((s) => Object.values(s.labels))
    for (const t of tokens)
      for (const part of t.split('.')) expect(values.filter((v) => v.includes(part))).toEqual([])
    expect(values.filter((v) => v.includes('://') || v.includes('127.0.0.1'))).toEqual([])
  })

  it('/readyz stays 200 with one issuer down; ?verbose lists each issuer condition', async () => {
    expect(await serve.readyz()).toEqual({ status: 200, body: 'ok' })
    const { status, body } = await serve.readyz(true)
    expect(status).toBe(200)
    const lines = body.trimEnd().split('\n')
    expect(lines.slice(0, 3)).toEqual(['[+]config ok', '[+]serving ok', '[+]shutdown ok'])
    expect(lines[3]).toBe(`[+]issuer ${upHash} ${up.url} ok`)
    expect(lines[4]).toMatch(
      new RegExp(
        `^\\[-\\]issuer ${downHash} ${down.url.replace(/[.]/g, '\\.')} not ready: DiscoveryFailed: .+`,
      ),
    )
    expect(lines[5]).toBe('readyz check passed')
    expect(lines).toHaveLength(6)
    expect(
      total(await serve.scrape(), 'kube_oidc_webhook_issuer_ready', { jwt_issuer_hash: upHash }),
    ).toBe(1)
  })
})
