/**
 * Issue 4, result cache and key management through the real `serve` (in
 * process): real HTTPS, a real loopback issuer, answers read off the wire and
 * counters read off /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sha256Label } from '../../src/metrics/labels.js'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import {
  authConfig,
  eventually,
  issuerEntry,
  startOpsServe,
  type OpsServe,
} from '../helpers/ops-serve.js'
import { total } from '../helpers/prometheus-text.js'

const nowS = (): number => Math.floor(Date.now() / 1000)

describe('ops: result cache in front of the authenticator (--cache-ttl 1m)', () => {
  let issuer: TestIssuer
  let serve: OpsServe
  let issuerHash: string

  beforeAll(async () => {
    issuer = await startTestIssuer({
      path: '/cache',
      algorithms: ['RS256'],
      keyFamily: 'ops-cache',
    })
    issuerHash = sha256Label(issuer.url)
    serve = await startOpsServe({
      config: authConfig(issuerEntry(issuer.url, issuer.caPem)),
      serve: { cacheTtlMs: 60_000 },
    })
  })
  afterAll(async () => {
    await serve?.stop()
    await issuer?.stop()
  })

  it('a cached answer is byte-for-byte the fresh one, and is served without verifying again', async () => {
    const token = issuer.sign({
      iss: issuer.url,
      aud: 'kubernetes',
      sub: 'cached',
      groups: ['g1'],
      exp: nowS() + 600,
    })
    const before = await serve.scrape()
    const fresh = await serve.review(token)
    const cached = await serve.review(token)
    const after = await serve.scrape()
    expect(fresh.statusCode).toBe(200)
    expect(cached.statusCode).toBe(200)
    expect(cached.body).toBe(fresh.body)
    expect(JSON.parse(fresh.body)).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      status: { authenticated: true, user: { username: 'oidc:cached', groups: ['g1'] } },
    })
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      total(after, name, labels) - total(before, name, labels)
    expect({
      verifications: delta('kube_oidc_webhook_verifications_total', {
        jwt_issuer_hash: issuerHash,
      }),
      hits: delta('kube_oidc_webhook_cache_requests_total', { result: 'hit' }),
      misses: delta('kube_oidc_webhook_cache_requests_total', { result: 'miss' }),
      authenticated: delta('kube_oidc_webhook_reviews_total', {
        jwt_issuer_hash: issuerHash,
        result: 'authenticated',
      }),
    }).toEqual({ verifications: 1, hits: 1, misses: 1, authenticated: 2 })
  })

  it('an entry is not served past the token exp even though --cache-ttl is longer', async () => {
    const exp = nowS() + 2
    const token = issuer.sign({ iss: issuer.url, aud: 'kubernetes', sub: 'short-lived', exp })
    const first = await serve.status(token)
    expect(first).toEqual({ authenticated: true, user: { username: 'oidc:short-lived' } })
    expect(await serve.status(token)).toEqual(first) // still cached
    const wait = exp * 1000 + 50 - Date.now()
    await new Promise((r) => setTimeout(r, Math.max(0, wait)))
    const before = await serve.scrape()
    const late = await serve.status(token)
    const after = await serve.scrape()
    expect(late.authenticated).toBe(false)
    expect(late.error).toEqual(
      expect.stringMatching(/^oidc: verify token: oidc: token is expired \(Token Expiry: /),
    )
    expect(total(after, 'kube_oidc_webhook_cache_requests_total', { result: 'hit' })).toBe(
      total(before, 'kube_oidc_webhook_cache_requests_total', { result: 'hit' }),
    )
    expect(
      total(after, 'kube_oidc_webhook_rejections_total', {
        jwt_issuer_hash: issuerHash,
        reason: 'expired',
      }) -
        total(before, 'kube_oidc_webhook_rejections_total', {
          jwt_issuer_hash: issuerHash,
          reason: 'expired',
        }),
    ).toBe(1)
  })

  it('50 concurrent identical uncached reviews cause 1 verification (single flight)', async () => {
    // A key the webhook has not seen yet: the first review waits on a JWKS
    // refetch the issuer delays, so the other 49 arrive while it is in flight.
    const rotated = issuer.rotate('RS256', { keepOld: true })
    issuer.knobs.delayMs = 1500
    try {
      const token = issuer.sign({
        iss: issuer.url,
        aud: 'kubernetes',
        sub: 'crowd',
        exp: nowS() + 600,
      })
      expect(
        JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()).kid,
      ).toBe(rotated.kid)
      const before = await serve.scrape()
      const jwksBefore = issuer.count('/cache/jwks')
      const answers = await Promise.all(Array.from({ length: 50 }, () => serve.review(token)))
      const after = await serve.scrape()
      expect(new Set(answers.map((a) => `${a.statusCode} ${a.body}`))).toEqual(
        new Set([
          `200 ${JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', status: { authenticated: true, user: { username: 'oidc:crowd' } } })}`,
        ]),
      )
      const delta = (name: string, labels: Record<string, string>): number =>
        total(after, name, labels) - total(before, name, labels)
      expect({
        verifications: delta('kube_oidc_webhook_verifications_total', {
          jwt_issuer_hash: issuerHash,
        }),
        misses: delta('kube_oidc_webhook_cache_requests_total', { result: 'miss' }),
        hits: delta('kube_oidc_webhook_cache_requests_total', { result: 'hit' }),
        jwksFetches: issuer.count('/cache/jwks') - jwksBefore,
      }).toEqual({ verifications: 1, misses: 50, hits: 0, jwksFetches: 1 })
    } finally {
      issuer.knobs.delayMs = 0
    }
  })
})

describe('ops: an issuer that goes away (--cache-ttl 0)', () => {
  let issuer: TestIssuer
  let serve: OpsServe

  beforeAll(async () => {
    issuer = await startTestIssuer({ path: '/gone', algorithms: ['ES256'], keyFamily: 'ops-gone' })
    serve = await startOpsServe({
      config: authConfig(issuerEntry(issuer.url, issuer.caPem)),
      serve: { cacheTtlMs: 0 },
    })
  })
  afterAll(async () => {
    await serve?.stop()
  })

  it('fresh tokens with a known kid keep authenticating after the issuer stops; a new kid fails', async () => {
    const sign = (sub: string): string =>
      issuer.sign({ iss: issuer.url, aud: 'kubernetes', sub, exp: nowS() + 600 }, { alg: 'ES256' })
    expect(await serve.status(sign('before'))).toEqual({
      authenticated: true,
      user: { username: 'oidc:before' },
    })
    const unknownKid = sign('new-kid').replace(
      /^[^.]+/,
      Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: 'never-seen' })).toString(
        'base64url',
      ),
    )
    await issuer.stop()
    const before = await serve.scrape()
    const outcomes = []
    for (let i = 0; i < 5; i++) outcomes.push(await serve.status(sign(`after-${i}`)))
    expect(outcomes).toEqual(
      Array.from({ length: 5 }, (_, i) => ({
        authenticated: true,
        user: { username: `oidc:after-${i}` },
      })),
    )
    const afterFresh = await serve.scrape()
    const refused = await serve.status(unknownKid)
    expect(refused.authenticated).toBe(false)
    expect(refused.error).toEqual(expect.stringMatching(/^oidc: verify token: /))
    const after = await serve.scrape()
    // Cache off: each review verified on its own.
    expect(
      total(afterFresh, 'kube_oidc_webhook_verifications_total') -
        total(before, 'kube_oidc_webhook_verifications_total'),
    ).toBe(5)
    expect(
      total(after, 'kube_oidc_webhook_rejections_total', { reason: 'keys_unavailable' }) +
        total(after, 'kube_oidc_webhook_rejections_total', { reason: 'bad_signature' }),
    ).toBe(1)
    expect(total(after, 'kube_oidc_webhook_cache_requests_total', { result: 'hit' })).toBe(0)
    expect(total(after, 'kube_oidc_webhook_cache_entries')).toBe(0)
  })
})

describe('ops: --key-cache-dir when the IdP hangs at restart', () => {
  let issuer: TestIssuer
  let keyDir: string

  beforeAll(async () => {
    issuer = await startTestIssuer({ path: '/hang', algorithms: ['RS256'], keyFamily: 'ops-hang' })
    keyDir = await mkdtemp(join(tmpdir(), 'ops-hang-keys-'))
  })
  afterAll(async () => {
    await issuer?.stop()
    await rm(keyDir, { recursive: true, force: true })
  })

  // KNOWN DEFECT, reported to the lead: src/issuer/issuer-runtime.ts loads the
  // key cache only after the first discovery attempt has failed, so while a
  // blackholed IdP makes discovery wait for its fetch timeout (10 s) every
  // token is refused "not initialized" although cached keys could verify it.
  // Fix: seed from the cache at construction, in parallel with discovery.
  // When fixed, this test fails: drop `.failing`.
  it('a restart verifies from the key cache at once, without waiting for a hung discovery', async () => {
    const config = authConfig(issuerEntry(issuer.url, issuer.caPem))
    const sign = (sub: string): string =>
      issuer.sign({ iss: issuer.url, aud: 'kubernetes', sub, exp: nowS() + 600 })
    const first = await startOpsServe({ config, serve: { cacheTtlMs: 0, keyCacheDir: keyDir } })
    try {
      expect(await first.status(sign('warm'))).toEqual({
        authenticated: true,
        user: { username: 'oidc:warm' },
      })
      await eventually(async () => (await readdir(keyDir)).length === 1, 3000, 'key cache written')
    } finally {
      await first.stop()
    }
    issuer.knobs.discovery = 'hang'
    const second = await startOpsServe({ config, serve: { cacheTtlMs: 0, keyCacheDir: keyDir } })
    try {
      await new Promise((r) => setTimeout(r, 300))
      expect(await second.status(sign('restarted'))).toEqual({
        authenticated: true,
        user: { username: 'oidc:restarted' },
      })
    } finally {
      await second.stop()
      issuer.knobs.discovery = 'ok'
    }
  })
})
