/**
 * Issue 6, item 3: issuers that fail, injected on command on a real HTTPS
 * loopback issuer. Valid tokens keep verifying on the last good keys wherever
 * the reference allows it; everything else fails fast (bounded by the fetch
 * timeout) with a reason, and the issuer's status says why.
 */
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { parseAuthenticationConfig } from '../../src/config/load.js'
import { fixedClock } from '../../src/runtime/clock.js'
import { createCertificateAuthority, createServerCertificate } from '../../src/dev/certificates.js'
import {
  createConfigAuthenticator,
  type ConfigAuthenticator,
} from '../../src/token/authenticator.js'
import type { AuthOutcome } from '../../src/token/types.js'
import { NOW, VALID_EXP_S } from '../helpers/fixed-clock.js'
import { startTestIssuer, testCA, type TestIssuer } from '../helpers/issuer.js'

const FETCH_TIMEOUT_MS = 400
const RETRY_MS = 150
/** Unknown-kid refetches are rate limited (1/s by default); shortened here, waited out with `pastRateLimit`. */
const REFETCH_INTERVAL_MS = 200
const pastRateLimit = (): Promise<void> =>
  new Promise((r) => setTimeout(r, REFETCH_INTERVAL_MS + 20))
const open: Array<{ close(): Promise<void> }> = []

afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close()
})

async function issuerFor(opts: Parameters<typeof startTestIssuer>[0] = {}): Promise<TestIssuer> {
  const i = await startTestIssuer({ keyFamily: 'faults', algorithms: ['RS256', 'ES256'], ...opts })
  open.push({ close: () => i.stop() })
  return i
}

async function authFor(
  i: { url: string; caPem: string },
  patch: { discoveryURL?: string; certificateAuthority?: string } = {},
): Promise<ConfigAuthenticator> {
  const parsed = parseAuthenticationConfig(
    JSON.stringify({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AuthenticationConfiguration',
      jwt: [
        {
          issuer: { url: i.url, certificateAuthority: i.caPem, audiences: ['my-client'], ...patch },
          claimMappings: { username: { claim: 'sub', prefix: '' } },
        },
      ],
    }),
  )
  if (!parsed.ok) throw new Error(parsed.errors.join('; '))
  const auth = createConfigAuthenticator(parsed.config, {
    clock: fixedClock(NOW),
    fetchTimeoutMs: FETCH_TIMEOUT_MS,
    discoveryRetryMs: RETRY_MS,
    maxResponseBytes: 256 * 1024,
    minRefetchIntervalMs: REFETCH_INTERVAL_MS,
  })
  open.push({ close: () => auth.close() })
  await auth.waitForFirstAttempts(5_000)
  return auth
}

const claims = (i: TestIssuer) => ({ iss: i.url, aud: 'my-client', exp: VALID_EXP_S, sub: 'jane' })

function summarize(o: AuthOutcome): unknown {
  if (o.kind === 'authenticated') return { kind: o.kind, username: o.user.username }
  if (o.kind === 'not-mine') return { kind: o.kind }
  return {
    kind: o.kind,
    reason: o.rejection.reason,
    message: o.rejection.message,
    transient: o.rejection.transient,
  }
}

async function timed(p: Promise<AuthOutcome>): Promise<{ outcome: unknown; ms: number }> {
  const started = performance.now()
  const outcome = summarize(await p)
  return { outcome, ms: performance.now() - started }
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}

const OK = { kind: 'authenticated', username: 'jane' }
const NOT_INITIALIZED = {
  kind: 'rejected',
  reason: 'issuer_not_ready',
  message: 'oidc: authenticator not initialized',
  transient: true,
}
const BAD_SIG = {
  kind: 'rejected',
  reason: 'bad_signature',
  message: 'oidc: verify token: failed to verify signature: failed to verify id token signature',
  transient: false,
}
const keysUnavailable = (detail: RegExp) => ({
  kind: 'rejected',
  reason: 'keys_unavailable',
  message: expect.stringMatching(
    new RegExp(
      `^oidc: verify token: failed to verify signature: fetching keys oidc: get keys failed ${detail.source}`,
    ),
  ),
  transient: true,
})

/** A minimal HTTPS server under the shared test CA, for redirects. */
interface Answer {
  status: number
  headers?: Record<string, string>
  body?: string
}
async function redirector(handler: (path: string) => Answer): Promise<{ origin: string }> {
  const ca = await testCA()
  const serving = await createServerCertificate(ca, { commonName: 'localhost' })
  const server: Server = createServer(
    { cert: serving.certPem, key: serving.keyPem },
    (req, res) => {
      const r = handler(new URL(req.url ?? '/', 'https://x').pathname)
      res.writeHead(r.status, r.headers).end(r.body ?? '')
    },
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  open.push({
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
  return { origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

describe('issuer down', () => {
  it('down at start: tokens fail fast as not initialized, then verify once it is back', async () => {
    const i = await issuerFor()
    i.knobs.down = true
    const auth = await authFor(i)
    const status = auth.issuers()[0]
    expect(status?.ready).toBe(false)
    expect(status?.lastError).toMatch(
      new RegExp(`^Get "${i.discoveryURL}": (socket hang up|read ECONNRESET)`),
    )
    const r = await timed(auth.authenticate(i.sign(claims(i))))
    expect(r.outcome).toEqual(NOT_INITIALIZED)
    expect(r.ms).toBeLessThan(50)
    i.knobs.down = false
    await eventually(async () => auth.issuers()[0]?.ready === true)
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(OK)
  })

  it('down mid-run: known keys keep verifying, a new kid fails fast with the fetch error', async () => {
    const i = await issuerFor({ keyFamily: 'faults-mid' })
    const auth = await authFor(i)
    const known = i.sign(claims(i))
    expect(summarize(await auth.authenticate(known))).toEqual(OK)
    i.knobs.down = true
    expect(summarize(await auth.authenticate(i.sign({ ...claims(i), jti: 'again' })))).toEqual(OK)
    const rotated = i.rotate('RS256')
    await pastRateLimit()
    const r = await timed(auth.authenticate(i.sign(claims(i), { kid: rotated.kid })))
    expect(r.outcome).toEqual(
      keysUnavailable(/Get "[^"]+\/jwks": (socket hang up|read ECONNRESET)/),
    )
    expect(r.ms).toBeLessThan(FETCH_TIMEOUT_MS + 300)
    expect(summarize(await auth.authenticate(known))).toEqual(OK)
    expect(auth.issuers()[0]?.ready).toBe(true)
  })
})

describe('slow issuer', () => {
  it('slow at start: discovery gives up at the fetch timeout', async () => {
    const i = await issuerFor()
    i.knobs.delayMs = 5_000
    const started = performance.now()
    const auth = await authFor(i)
    expect(performance.now() - started).toBeLessThan(FETCH_TIMEOUT_MS + 1000)
    expect(auth.issuers()[0]?.lastError).toBe(`Get "${i.discoveryURL}": context deadline exceeded`)
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(NOT_INITIALIZED)
  })

  it('JWKS hanging mid-run: a new kid waits at most the fetch timeout, known keys are not delayed', async () => {
    const i = await issuerFor({ keyFamily: 'faults-hang' })
    const auth = await authFor(i)
    i.knobs.jwks = 'hang'
    const rotated = i.rotate('ES256')
    await pastRateLimit()
    const slow = timed(auth.authenticate(i.sign(claims(i), { alg: 'ES256', kid: rotated.kid })))
    const fast = await timed(auth.authenticate(i.sign(claims(i))))
    expect(fast.outcome).toEqual(OK)
    expect(fast.ms).toBeLessThan(100)
    const r = await slow
    expect(r.outcome).toEqual(keysUnavailable(/Get "[^"]+\/jwks": context deadline exceeded/))
    expect(r.ms).toBeGreaterThanOrEqual(FETCH_TIMEOUT_MS - 20)
    expect(r.ms).toBeLessThan(FETCH_TIMEOUT_MS + 300)
  })
})

describe('TLS and redirects', () => {
  it('a certificate not signed by certificateAuthority is refused', async () => {
    const i = await issuerFor()
    const other = await createCertificateAuthority({ commonName: 'not the issuer CA' })
    const auth = await authFor(i, { certificateAuthority: other.certPem })
    expect(auth.issuers()[0]?.lastError).toMatch(
      new RegExp(
        `^Get "${i.discoveryURL}": (self[- ]signed certificate|unable to verify the first certificate|unable to get local issuer certificate)`,
      ),
    )
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(NOT_INITIALIZED)
    expect(i.count('/jwks')).toBe(0)
  })

  it('discovery behind a redirect is followed (Go follows up to 10)', async () => {
    const i = await issuerFor()
    const r = await redirector(() => ({ status: 302, headers: { location: i.discoveryURL } }))
    const auth = await authFor(i, { discoveryURL: `${r.origin}/discovery` })
    expect(auth.issuers()[0]?.ready).toBe(true)
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(OK)
  })

  it('a discovery redirect loop ends with an error, not a hang', async () => {
    const i = await issuerFor()
    let hops = 0
    const r = await redirector(() => {
      hops++
      return { status: 302, headers: { location: '/loop' } }
    })
    const auth = await authFor(i, { discoveryURL: `${r.origin}/loop` })
    expect(auth.issuers()[0]?.lastError).toBe(`302 Found: `)
    expect(hops).toBe(11)
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(NOT_INITIALIZED)
  })

  it('a discovery redirect to plain http is refused', async () => {
    const i = await issuerFor()
    const r = await redirector(() => ({
      status: 302,
      headers: { location: 'http://127.0.0.1:1/discovery' },
    }))
    const auth = await authFor(i, { discoveryURL: `${r.origin}/discovery` })
    expect(auth.issuers()[0]?.lastError).toBe(
      'Get "http://127.0.0.1:1/discovery": unsupported protocol scheme "http"',
    )
  })

  it('a JWKS behind a redirect is not followed: no keys, tokens fail with the fetch error', async () => {
    const i = await issuerFor()
    let origin = ''
    const r = await redirector((path): Answer =>
      path === '/discovery'
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ issuer: i.url, jwks_uri: `${origin}/jwks` }),
          }
        : { status: 302, headers: { location: i.jwksURL } },
    )
    origin = r.origin
    const auth = await authFor(i, { discoveryURL: `${r.origin}/discovery` })
    expect(auth.issuers()[0]?.ready).toBe(false)
    expect(auth.issuers()[0]?.lastError).toMatch(/^oidc: get keys failed: 302 Found ?$/)
    expect(i.count('/jwks')).toBe(0)
    await pastRateLimit()
    const rr = await timed(auth.authenticate(i.sign(claims(i))))
    expect(rr.outcome).toEqual({
      kind: 'rejected',
      reason: 'keys_unavailable',
      message: expect.stringMatching(
        /^oidc: verify token: failed to verify signature: fetching keys oidc: get keys failed: 302 Found ?$/,
      ),
      transient: true,
    })
    expect(i.count('/jwks')).toBe(0)
  })
})

describe('garbage, huge and lying documents', () => {
  it.each([
    {
      name: 'garbage discovery',
      mode: 'garbage' as const,
      error: /^oidc: failed to decode provider discovery object: /,
    },
    {
      name: 'huge discovery',
      mode: 'huge' as const,
      error: /response body larger than 262144 bytes$/,
    },
    { name: 'discovery 500', mode: '500' as const, error: /^500 Internal Server Error: boom$/ },
  ])('$name: not initialized, with the reason', async ({ mode, error }) => {
    const i = await issuerFor()
    i.knobs.discovery = mode
    const auth = await authFor(i)
    expect(auth.issuers()[0]?.lastError).toMatch(error)
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(NOT_INITIALIZED)
  })

  it('a discovery issuer that differs from the URL is never trusted', async () => {
    const i = await issuerFor()
    i.knobs.discoveryIssuer = 'https://evil.example'
    const auth = await authFor(i)
    expect(auth.issuers()[0]?.lastError).toBe(
      `oidc: issuer did not match the issuer returned by provider, expected "${i.url}" got "https://evil.example"`,
    )
    expect(summarize(await auth.authenticate(i.sign(claims(i))))).toEqual(NOT_INITIALIZED)
    expect(i.count('/jwks')).toBe(0)
  })

  it.each([
    { name: 'garbage JWKS', mode: 'garbage' as const, error: /^oidc: failed to decode keys: / },
    { name: 'huge JWKS', mode: 'huge' as const, error: /response body larger than 262144 bytes$/ },
    {
      name: 'JWKS that is not a key set',
      mode: 'not-jwks' as const,
      error: /^oidc: failed to decode keys: "keys" is not an array/,
    },
  ])(
    '$name mid-run: last good keys stay, new kids fail with the reason',
    async ({ mode, error }) => {
      const i = await issuerFor({ keyFamily: `faults-${mode}` })
      const auth = await authFor(i)
      const old = i.sign(claims(i))
      i.knobs.jwks = mode
      const rotated = i.rotate('RS256', { keepOld: true })
      await pastRateLimit()
      const r = await auth.authenticate(i.sign(claims(i), { kid: rotated.kid }))
      expect(r.kind === 'rejected' && r.rejection.reason).toBe('keys_unavailable')
      expect(
        r.kind === 'rejected' &&
          r.rejection.message.replace(
            /^oidc: verify token: failed to verify signature: fetching keys /,
            '',
          ),
      ).toMatch(error)
      expect(auth.issuers()[0]?.lastError).toMatch(error)
      expect(summarize(await auth.authenticate(old))).toEqual(OK)
    },
  )

  it('a JWKS that drops the key in use: once refreshed, that key is refused', async () => {
    const i = await issuerFor({ keyFamily: 'faults-drop' })
    const auth = await authFor(i)
    const inUse = i.sign(claims(i), { alg: 'ES256' })
    expect(summarize(await auth.authenticate(inUse))).toEqual(OK)
    i.dropKey(i.keys.ES256!.kid)
    // any unknown kid triggers the (rate-limited) refresh
    await pastRateLimit()
    const before = i.count('/jwks')
    expect(summarize(await auth.authenticate(i.sign(claims(i), { kid: 'unknown' })))).toEqual(
      BAD_SIG,
    )
    expect(i.count('/jwks')).toBe(before + 1)
    expect(summarize(await auth.authenticate(inUse))).toEqual(BAD_SIG)
  })
})

beforeAll(async () => {
  await testCA()
})
afterAll(async () => {
  for (const o of open.splice(0).reverse()) await o.close()
})
