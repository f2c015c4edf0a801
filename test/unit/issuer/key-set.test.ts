/** The remote key set over an in-memory client and a manual monotonic clock: no sockets, no sleeping. */
import { describe, expect, it } from '@jest/globals'
import { RemoteKeySet } from '../../../src/issuer/key-set.js'
import { silentLogger } from '../../../src/log/logger.js'
import { ManualMonotonicClock } from '../../../src/runtime/clock.js'
import { staticTestIssuer } from '../../helpers/issuer.js'
import { NOW } from '../../helpers/fixed-clock.js'
import { memoryHttpClient } from '../../helpers/memory-http-client.js'

const JWKS_URI = 'https://issuer.example.test/jwks'
const issuer = staticTestIssuer({ algorithms: ['RS256', 'ES256'] })

function keySet(cacheControl?: string) {
  const client = memoryHttpClient({
    [JWKS_URI]: {
      body: issuer.jwks(),
      headers: {
        'content-type': 'application/json',
        ...(cacheControl === undefined ? {} : { 'cache-control': cacheControl }),
      },
    },
  })
  const clock = new ManualMonotonicClock(1_000)
  const fetches: boolean[] = []
  const set = new RemoteKeySet(JWKS_URI, {
    client,
    logger: silentLogger,
    now: () => NOW,
    monotonic: clock,
    onFetch: (ok) => fetches.push(ok),
  })
  return { set, client, clock, fetches }
}

describe('RemoteKeySet', () => {
  it('is not ready until the first fetch, then offers keys by kid or all of them', async () => {
    const { set } = keySet()
    expect(set.ready).toBe(false)
    expect(set.stale).toBe(true)
    expect(await set.fetch()).toEqual({ ok: true })
    set.close()
    expect(set.ready).toBe(true)
    expect(set.keyCount).toBe(2)
    expect(set.candidates('default-RS256').map((k) => k.kid)).toEqual(['default-RS256'])
    expect(set.candidates(undefined)).toHaveLength(2)
    expect(set.candidates('unknown')).toEqual([])
  })

  it('limits on-demand refetches to one per second of monotonic time', async () => {
    const { set, client, clock } = keySet()
    await set.fetch()
    expect(set.refetchForToken()).toBeUndefined()
    clock.advance(999)
    expect(set.refetchForToken()).toBeUndefined()
    clock.advance(1)
    const refetch = set.refetchForToken()
    expect(refetch).toBeDefined()
    expect(set.refetchForToken()).toBe(refetch)
    expect(await refetch).toEqual({ ok: true })
    set.close()
    expect(client.count(JWKS_URI)).toBe(2)
  })

  it('turns stale when the max-age runs out, by the monotonic clock', async () => {
    const { set, clock } = keySet('max-age=120')
    await set.fetch()
    set.close()
    expect(set.stale).toBe(false)
    clock.advance(119_999)
    expect(set.stale).toBe(false)
    clock.advance(1)
    expect(set.stale).toBe(true)
  })

  it('keeps the last good keys when a fetch fails, with the error', async () => {
    const { set, client, fetches } = keySet()
    await set.fetch()
    client.route(JWKS_URI, { status: 500, body: 'boom' })
    const outcome = await set.fetch()
    set.close()
    expect(outcome.ok).toBe(false)
    expect(set.lastError).toBe('oidc: get keys failed: 500 Internal Server Error boom')
    expect(set.ready).toBe(true)
    expect(set.candidates('default-ES256')).toHaveLength(1)
    expect(fetches).toEqual([true, false])
  })
})
