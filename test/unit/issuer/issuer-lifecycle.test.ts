/**
 * Discovery, JWKS refresh, outages, key cache, hot-reload hand-over and
 * distributed claims, against issuers in memory with a manual monotonic clock:
 * retries fire when the clock is advanced, nothing sleeps, no sockets.
 * The HTTP client's own limits (body size, timeout) are tested over real
 * HTTPS in test/integration/issuer-fetch-limits.test.ts.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  createConfigAuthenticator,
  type AuthenticatorOptions,
} from '../../../src/token/authenticator.js'
import type { AuthenticatorObserver } from '../../../src/token/observer.js'
import { parseAuthenticationConfig } from '../../../src/config/load.js'
import { fixedClock } from '../../../src/runtime/clock.js'
import { NOW, VALID_EXP_S } from '../../helpers/fixed-clock.js'
import {
  memoryNetwork,
  type MemoryIssuerOptions,
  type MemoryNetwork,
  type MemoryTestIssuer,
} from '../../helpers/memory-issuer.js'
import type { Json } from '../../helpers/tokens.js'
import {
  authenticatorFor as authenticatorOn,
  entryFor,
  summarize,
  type JwtEntry,
} from '../token/authenticator-helpers.js'

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.()
})

let net: MemoryNetwork
beforeEach(() => {
  net = memoryNetwork()
})

function issuerUp(opts: MemoryIssuerOptions = {}): MemoryTestIssuer {
  return net.issuer(opts)
}

function authenticatorFor(entries: JwtEntry[], options: AuthenticatorOptions = {}) {
  return authenticatorOn(entries, { ...net.options(), ...options })
}

function claims(i: MemoryTestIssuer, more: Json = {}): Json {
  return { iss: i.url, aud: 'my-client', exp: VALID_EXP_S, username: 'jane', ...more }
}

const JANE = { kind: 'authenticated', user: { username: 'jane', uid: '', groups: [], extra: {} } }
const NOT_INITIALIZED = {
  kind: 'rejected',
  reason: 'issuer_not_ready',
  message: 'oidc: authenticator not initialized',
  transient: true,
}

describe('discovery', () => {
  it('discovery issuer mismatch leaves the issuer not initialized', async () => {
    const i = issuerUp()
    i.knobs.discoveryIssuer = 'https://elsewhere.example'
    const auth = await authenticatorFor([entryFor(i)])
    stops.push(() => auth.close())
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(NOT_INITIALIZED)
    const [status] = auth.issuers()
    expect(status?.ready).toBe(false)
    expect(status?.conditions.find((c) => c.type === 'DiscoveryValid')).toMatchObject({
      status: 'False',
      reason: 'DiscoveryFailed',
      message: `oidc: issuer did not match the issuer returned by provider, expected "${i.url}" got "https://elsewhere.example"`,
    })
  })

  it('discovery is retried until it succeeds', async () => {
    const i = issuerUp()
    i.knobs.discovery = '500'
    const auth = await authenticatorFor([entryFor(i)], { discoveryRetryMs: 10_000 })
    stops.push(() => auth.close())
    expect(auth.issuers()[0]?.lastError).toBe('500 Internal Server Error: boom')
    i.knobs.discovery = 'ok'
    net.clock.advance(9_999)
    await net.settle()
    expect(auth.issuers()[0]?.ready).toBe(false)
    net.clock.advance(1)
    await net.settle()
    expect(auth.issuers()[0]?.ready).toBe(true)
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(JANE)
    expect(i.count('/.well-known/openid-configuration')).toBe(2)
  })

  it('a discovery document without jwks_uri is not usable', async () => {
    const i = issuerUp()
    i.knobs.omitJwksURI = true
    const auth = await authenticatorFor([entryFor(i)])
    stops.push(() => auth.close())
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(NOT_INITIALIZED)
    expect(auth.issuers()[0]?.lastError).toBe('provider did not return JWKS URL')
  })

  it('discoveryURL is where discovery is fetched from', async () => {
    const i = issuerUp({ path: '/tenant' })
    const auth = await authenticatorFor([
      entryFor(i, { issuer: { discoveryURL: `${i.origin}/custom/discovery` } }),
    ])
    stops.push(() => auth.close())
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(JANE)
    expect(i.count('/custom/discovery')).toBe(1)
    expect(i.count('/tenant/.well-known/openid-configuration')).toBe(0)
  })

  it('a garbage discovery answer fails cleanly', async () => {
    const i = issuerUp()
    i.knobs.discovery = 'garbage'
    const auth = await authenticatorFor([entryFor(i)])
    stops.push(() => auth.close())
    expect(auth.issuers()[0]?.lastError).toMatch(
      /^oidc: failed to decode provider discovery object: /,
    )
  })
})

describe('JWKS', () => {
  it('a token with an unknown kid triggers one immediate refetch', async () => {
    const i = issuerUp({ keyFamily: 'rotate', algorithms: ['RS256'] })
    const auth = await authenticatorFor([entryFor(i)], { minRefetchIntervalMs: 0 })
    stops.push(() => auth.close())
    expect(i.count('/jwks')).toBe(1)
    i.rotate('RS256')
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(JANE)
    expect(i.count('/jwks')).toBe(2)
  })

  it('unknown-kid refetches are single-flight and rate limited', async () => {
    const i = issuerUp()
    const auth = await authenticatorFor([entryFor(i)], { minRefetchIntervalMs: 60_000 })
    stops.push(() => auth.close())
    const forged = [1, 2, 3].map((n) => i.sign(claims(i), { kid: `forged-${n}` }))
    const outcomes = await Promise.all(forged.map((t) => auth.authenticate(t)))
    expect(outcomes.map(summarize)).toEqual(
      forged.map(() => ({
        kind: 'rejected',
        reason: 'bad_signature',
        message:
          'oidc: verify token: failed to verify signature: failed to verify id token signature',
      })),
    )
    // The initial fetch happened at start (within the interval), so no refetch at all.
    expect(i.count('/jwks')).toBe(1)
  })

  it('JWKS down after the first fetch: known keys keep working, new kids fail with the fetch error', async () => {
    const i = issuerUp({ keyFamily: 'down', algorithms: ['ES256'] })
    const auth = await authenticatorFor([entryFor(i)], { minRefetchIntervalMs: 0 })
    stops.push(() => auth.close())
    i.knobs.jwks = '404'
    expect(summarize(await auth.authenticate(i.sign(claims(i), { alg: 'ES256' })))).toEqual(JANE)
    i.rotate('ES256')
    expect(summarize(await auth.authenticate(i.sign(claims(i), { alg: 'ES256' })))).toEqual({
      kind: 'rejected',
      reason: 'keys_unavailable',
      message:
        'oidc: verify token: failed to verify signature: fetching keys oidc: get keys failed: 404 Not Found not here',
      transient: true,
    })
    expect(auth.issuers()[0]?.conditions.find((c) => c.type === 'JWKSFetchValid')).toMatchObject({
      status: 'False',
      reason: 'FetchFailed',
    })
  })

  it('a JWKS that is not a key set is refused and reported', async () => {
    const i = issuerUp()
    i.knobs.jwks = 'not-jwks'
    const auth = await authenticatorFor([entryFor(i)], { minRefetchIntervalMs: 0 })
    stops.push(() => auth.close())
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual({
      kind: 'rejected',
      reason: 'keys_unavailable',
      message:
        'oidc: verify token: failed to verify signature: fetching keys oidc: failed to decode keys: "keys" is not an array {"keys":"nope"}',
      transient: true,
    })
    expect(auth.issuers()[0]?.ready).toBe(false)
  })

  it('unusable JWKs (oct, OKP) are skipped, the rest still verify', async () => {
    const i = issuerUp()
    i.addRawJwk({ kty: 'oct', k: 'c2VjcmV0', kid: 'RS256' })
    i.addRawJwk({
      kty: 'OKP',
      crv: 'Ed25519',
      x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
      kid: 'ed',
    })
    const auth = await authenticatorFor([entryFor(i)])
    stops.push(() => auth.close())
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(JANE)
  })

  it('the key set is refreshed in the background before its max-age runs out', async () => {
    const i = issuerUp({ keyFamily: 'refresh', algorithms: ['RS256'] })
    i.knobs.cacheControl = 'max-age=600'
    const auth = await authenticatorFor([entryFor(i)], { minRefetchIntervalMs: 60_000 })
    stops.push(() => auth.close())
    expect(i.count('/jwks')).toBe(1)
    i.rotate('RS256')
    net.clock.advance(479_999)
    await net.settle()
    expect(i.count('/jwks')).toBe(1)
    net.clock.advance(1) // 80 % of the max-age
    await net.settle()
    expect(i.count('/jwks')).toBe(2)
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(JANE)
  })
})

describe('observer, size limit, key cache and hand-over', () => {
  it('reports discovery, fetch and a verification per token of the issuer, the signature checked before the audience', async () => {
    const i = issuerUp()
    const events: string[] = []
    const observer: AuthenticatorObserver = {
      onDiscovery: (h, ok) => events.push(`discovery ${h.slice(0, 7)} ${ok}`),
      onJWKSFetch: (_h, ok, hash) => events.push(`jwks ${ok} ${hash?.slice(0, 7) ?? '-'}`),
      onVerification: () => events.push('verify'),
      onIssuerReady: (_h, ready) => events.push(`ready ${ready}`),
    }
    const auth = await authenticatorFor([entryFor(i)], { observer })
    stops.push(() => auth.close())
    await auth.authenticate(i.sign(claims(i)))
    await auth.authenticate(i.sign(claims(i, { aud: 'x' })))
    await auth.authenticate('not.a.token')
    expect(events).toEqual([
      'discovery sha256: true',
      'jwks true sha256:',
      'ready true',
      'verify',
      'verify',
    ])
  })

  it('rejects a token over the size limit before parsing', async () => {
    const i = issuerUp()
    const auth = await authenticatorFor([entryFor(i)], { maxTokenBytes: 100 })
    stops.push(() => auth.close())
    expect(summarize(await auth.authenticate('x'.repeat(101)))).toEqual({
      kind: 'rejected',
      reason: 'token_too_large',
      message: 'token too large: more than 100 bytes',
    })
  })

  it('a restart during an outage verifies with the key cache', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keycache-'))
    stops.push(() => rm(dir, { recursive: true, force: true }))
    const i = issuerUp({ keyFamily: 'cache', algorithms: ['RS256'] })
    const first = await authenticatorFor([entryFor(i)], { keyCacheDir: dir })
    await untilFileIn(dir)
    await first.close()
    i.knobs.down = true
    const second = await authenticatorFor([entryFor(i)], {
      keyCacheDir: dir,
      discoveryRetryMs: 60_000,
    })
    stops.push(() => second.close())
    expect(summarize(await second.authenticate(i.sign(claims(i))))).toEqual(JANE)
    expect(second.issuers()[0]?.conditions.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'True',
      reason: 'FromKeyCache',
    })
  })

  it('hot reload keeps a warm issuer whose fetch settings are unchanged', async () => {
    const i = issuerUp()
    const text = (aud: string) =>
      JSON.stringify({
        apiVersion: 'apiserver.config.k8s.io/v1',
        kind: 'AuthenticationConfiguration',
        jwt: [entryFor(i, { issuer: { audiences: [aud] } })],
      })
    const c1 = parseAuthenticationConfig(text('my-client'))
    const c2 = parseAuthenticationConfig(text('new-client'))
    if (!c1.ok || !c2.ok) throw new Error('bad config')
    const options = { clock: fixedClock(NOW), ...net.options() }
    const a1 = createConfigAuthenticator(c1.config, options)
    await a1.waitForFirstAttempts(5000)
    const a2 = createConfigAuthenticator(c2.config, options, a1)
    await a1.close()
    stops.push(() => a2.close())
    expect(summarize(await a2.authenticate(i.sign(claims(i, { aud: 'new-client' }))))).toEqual(JANE)
    expect(i.count('/.well-known/openid-configuration')).toBe(1)
  })
})

describe('distributed claims', () => {
  const groups = {
    username: { claim: 'username', prefix: '' },
    groups: { claim: 'groups', prefix: 'oidc:' },
  }

  it('resolves the groups claim from its endpoint, with the access token, and prefixes it', async () => {
    const i = issuerUp()
    const endpoint = i.serveClaims(
      '/claims/groups',
      i.sign(claims(i, { groups: ['team1', 'team2'] })),
    )
    const auth = await authenticatorFor([entryFor(i, { claimMappings: groups })])
    stops.push(() => auth.close())
    const token = i.sign(
      claims(i, {
        _claim_names: { groups: 'src1' },
        _claim_sources: { src1: { endpoint, access_token: 'secret' } },
      }),
    )
    expect(summarize(await auth.authenticate(token))).toEqual({
      kind: 'authenticated',
      user: { username: 'jane', uid: '', groups: ['oidc:team1', 'oidc:team2'], extra: {} },
    })
    expect(i.lastAuthorization('/claims/groups')).toBe('Bearer secret')
  })

  it('a normal claim wins over a distributed one', async () => {
    const i = issuerUp()
    const endpoint = i.serveClaims('/claims/g2', i.sign(claims(i, { groups: ['remote'] })))
    const auth = await authenticatorFor([entryFor(i, { claimMappings: groups })])
    stops.push(() => auth.close())
    const token = i.sign(
      claims(i, {
        groups: ['local'],
        _claim_names: { groups: 'src1' },
        _claim_sources: { src1: { endpoint } },
      }),
    )
    expect(summarize(await auth.authenticate(token))).toMatchObject({
      user: { groups: ['oidc:local'] },
    })
    expect(i.count('/claims/g2')).toBe(0)
  })

  it.each([
    [
      'an expired distributed JWT',
      (i: MemoryTestIssuer) => i.sign(claims(i, { groups: ['x'], exp: 1 })),
      200,
      'oidc: could not expand distributed claims: verify distributed claim token: oidc: token is expired (Token Expiry: 1970-01-01 00:00:01 +0000 UTC)',
    ],
    [
      'a JWT without the claim',
      (i: MemoryTestIssuer) => i.sign(claims(i)),
      200,
      'oidc: could not expand distributed claims: jwt returned by distributed claim endpoint "ENDPOINT" did not contain claim: groups',
    ],
    [
      'an endpoint answering 404',
      () => 'nope',
      404,
      'oidc: could not expand distributed claims: while getting distributed claim "groups": error while getting distributed claim JWT: 404 Not Found',
    ],
    [
      'a body that is not a JWT',
      () => 'nope',
      200,
      'oidc: could not expand distributed claims: getting untrusted issuer from endpoint ENDPOINT failed for claim "groups": malformed token',
    ],
  ])('rejects %s', async (_name, body, status, message) => {
    const i = issuerUp()
    const endpoint = i.serveClaims('/claims/bad', body(i), status)
    const auth = await authenticatorFor([entryFor(i, { claimMappings: groups })])
    stops.push(() => auth.close())
    const token = i.sign(
      claims(i, { _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint } } }),
    )
    expect(summarize(await auth.authenticate(token))).toEqual({
      kind: 'rejected',
      reason: 'distributed_claims_failed',
      message: message.replace('ENDPOINT', endpoint),
    })
  })
})

/** Waits for the key cache's file write (real file-system I/O, not a timer of the code under test). */
async function untilFileIn(dir: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    // The entry is written under a temporary dot-name, then renamed into place.
    if ((await readdir(dir)).filter((name) => !name.startsWith('.')).length === 1) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`no file appeared in ${dir}`)
}
