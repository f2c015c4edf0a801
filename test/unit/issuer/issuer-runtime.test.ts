/**
 * One issuer's runtime with its seams filled: an in-memory HTTP client, a
 * fixed clock, a manual monotonic clock, or static keys. No sockets.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import type { CompiledIssuer } from '../../../src/config/compiled.js'
import { IssuerRuntime, type IssuerRuntimeOptions } from '../../../src/issuer/issuer-runtime.js'
import { staticKeySet } from '../../../src/issuer/static-key-set.js'
import { silentLogger } from '../../../src/log/logger.js'
import { fixedClock, ManualMonotonicClock } from '../../../src/runtime/clock.js'
import { NOW } from '../../helpers/fixed-clock.js'
import { staticTestIssuer } from '../../helpers/issuer.js'
import { memoryHttpClient, type MemoryHttpClient } from '../../helpers/memory-http-client.js'

const URL = 'https://issuer.example.test'
const WELL_KNOWN = `${URL}/.well-known/openid-configuration`
const JWKS = `${URL}/jwks`
const keys = staticTestIssuer({ url: URL, algorithms: ['ES256'] })

const issuer: CompiledIssuer = {
  url: URL,
  discoveryURL: WELL_KNOWN,
  discoveryURLExplicit: false,
  audiences: ['k'],
  audienceMatchPolicy: '',
} as CompiledIssuer

const running: IssuerRuntime[] = []
afterEach(() => {
  for (const r of running.splice(0)) r.release()
})

function runtime(client: MemoryHttpClient, extra: Partial<IssuerRuntimeOptions> = {}) {
  const r = new IssuerRuntime(issuer, 'sha256:00', {
    clock: fixedClock(NOW),
    logger: silentLogger,
    fetchTimeoutMs: 1000,
    maxResponseBytes: 1 << 20,
    discoveryRetryMs: 3_600_000,
    monotonic: new ManualMonotonicClock(),
    createClient: () => client,
    ...extra,
  })
  running.push(r)
  return r
}

function conditionsOf(r: IssuerRuntime): Record<string, string> {
  return Object.fromEntries(r.status().conditions.map((c) => [c.type, `${c.status} ${c.reason}`]))
}

describe('IssuerRuntime', () => {
  it('discovers and loads keys through the injected client', async () => {
    const client = memoryHttpClient({
      [WELL_KNOWN]: { body: { issuer: URL, jwks_uri: JWKS } },
      [JWKS]: { body: keys.jwks() },
    })
    const r = runtime(client)
    await r.firstAttemptDone
    expect(r.discovered).toBe(true)
    expect(r.ready).toBe(true)
    expect(r.keySet?.candidates('default-ES256')).toHaveLength(1)
    expect(conditionsOf(r)).toEqual({
      DiscoveryValid: 'True Success',
      JWKSFetchValid: 'True Success',
      Ready: 'True Success',
    })
    expect([client.count(WELL_KNOWN), client.count(JWKS)]).toEqual([1, 1])
  })

  it('is not ready while discovery fails, with the reason', async () => {
    const r = runtime(memoryHttpClient())
    await r.firstAttemptDone
    expect(r.discovered).toBe(false)
    expect(r.ready).toBe(false)
    expect(conditionsOf(r)).toMatchObject({
      DiscoveryValid: 'False DiscoveryFailed',
      Ready: 'False NotInitialized',
    })
    expect(r.status().lastError).toBe(`Get "${WELL_KNOWN}": connect ECONNREFUSED`)
  })

  it('with a static key set is ready at once and fetches nothing', async () => {
    const client = memoryHttpClient()
    const r = runtime(client, { keySet: staticKeySet(keys.jwks()) })
    await r.firstAttemptDone
    expect(r.ready).toBe(true)
    expect(conditionsOf(r)).toEqual({
      DiscoveryValid: 'True StaticKeySet',
      JWKSFetchValid: 'True StaticKeySet',
      Ready: 'True Success',
    })
    expect(client.count(WELL_KNOWN)).toBe(0)
  })
})
