/**
 * Distributed claims stay inside kube-apiserver's 30 s webhook budget: the whole
 * resolution (endpoint, first-use discovery, keys) has one deadline, and a flood
 * of distinct distributed issuers cannot lock out a later valid one. Issuers in
 * memory; the deadline runs on a manual monotonic clock.
 */
import { beforeEach, afterEach, describe, expect, it } from '@jest/globals'
import type { AuthOutcome } from '../../../src/token/types.js'
import { VALID_EXP_S } from '../../helpers/fixed-clock.js'
import {
  memoryNetwork,
  type MemoryNetwork,
  type MemoryTestIssuer,
} from '../../helpers/memory-issuer.js'
import { b64url, type Json } from '../../helpers/tokens.js'
import {
  authenticatorFor as authenticatorOn,
  entryFor,
  summarize,
  type JwtEntry,
} from './authenticator-helpers.js'
import type { AuthenticatorOptions } from '../../../src/token/authenticator.js'

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.()
})

let net: MemoryNetwork
beforeEach(() => {
  net = memoryNetwork()
})

async function authenticatorFor(entries: JwtEntry[], options: AuthenticatorOptions = {}) {
  const auth = await authenticatorOn(entries, { ...net.options(), ...options })
  stops.push(() => auth.close())
  return auth
}

const DEADLINE_MS = 400

/** The outcome of `review`, which must still be pending just before the deadline and settle at it. */
async function atTheDeadline(review: Promise<AuthOutcome>): Promise<unknown> {
  const timersBefore = net.clock.pendingTimers
  let settled = false
  void review.then(() => (settled = true))
  // The main token's signature is checked on the threadpool; the deadline is
  // armed once that check is back, after a real (if short) wait.
  for (let waited = 0; net.clock.pendingTimers <= timersBefore; waited++) {
    if (waited > 5000) throw new Error('the distributed-claims deadline was never armed')
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
  await net.settle()
  net.clock.advance(DEADLINE_MS - 1)
  await net.settle()
  expect(settled).toBe(false)
  net.clock.advance(1)
  return summarize(await review)
}

const MAPPINGS = {
  claimMappings: {
    username: { claim: 'username', prefix: '' },
    groups: { claim: 'groups', prefix: '' },
  },
}

function mainToken(main: MemoryTestIssuer, endpoint: string): string {
  return main.sign({
    iss: main.url,
    aud: 'my-client',
    exp: VALID_EXP_S,
    username: 'jane',
    _claim_names: { groups: 'src' },
    _claim_sources: { src: { endpoint } },
  })
}

function unsignedJwt(claims: Json): string {
  return `${b64url({ alg: 'RS256' })}.${b64url(claims)}.c2ln`
}

const notInitialized = (url: string): string =>
  `oidc: could not expand distributed claims: verifying untrusted issuer ${url} failed: verifier not initialized for issuer: "${url}"`

describe('distributed claims: one deadline for the whole resolution', () => {
  it.each([
    [
      'an endpoint that never answers',
      (_main: MemoryTestIssuer) => {
        const slow = net.issuer()
        slow.knobs.stalled = true
        const endpoint = slow.serveClaims('/claims/slow', 'never sent')
        return {
          endpoint,
          message: `oidc: could not expand distributed claims: while getting distributed claim "groups": Get "${endpoint}": context deadline exceeded`,
        }
      },
    ],
    [
      'a distributed issuer whose discovery never answers',
      (main: MemoryTestIssuer) => {
        const hanging = net.issuer()
        hanging.knobs.discovery = 'hang'
        const endpoint = main.serveClaims(
          '/claims/hang',
          unsignedJwt({ iss: hanging.url, aud: 'my-client', exp: VALID_EXP_S, groups: ['g'] }),
        )
        return { endpoint, message: notInitialized(hanging.url) }
      },
    ],
    [
      'a distributed issuer whose first JWKS fetch never answers',
      (main: MemoryTestIssuer) => {
        const slowKeys = net.issuer({ keyFamily: 'slow-keys' })
        slowKeys.knobs.jwks = 'hang'
        const endpoint = main.serveClaims(
          '/claims/keys',
          slowKeys.sign({ iss: slowKeys.url, aud: 'my-client', exp: VALID_EXP_S, groups: ['g'] }),
        )
        return { endpoint, message: notInitialized(slowKeys.url) }
      },
    ],
  ])('%s fails at the deadline, as a transient refusal', async (_name, endpointFor) => {
    const main = net.issuer()
    const { endpoint, message } = endpointFor(main)
    const auth = await authenticatorFor([entryFor(main, MAPPINGS)], {
      distributedClaimsTimeoutMs: DEADLINE_MS,
    })
    expect(await atTheDeadline(auth.authenticate(mainToken(main, endpoint)))).toEqual({
      kind: 'rejected',
      reason: 'distributed_claims_failed',
      transient: true,
      message,
    })
  })
})

describe('distributed claims: the deadline covers the key refetch', () => {
  it('a refetch for an unknown kid that never answers fails at the deadline', async () => {
    const main = net.issuer()
    const other = net.issuer({ keyFamily: 'refetch-hangs' })
    const auth = await authenticatorFor([entryFor(main, MAPPINGS)], {
      distributedClaimsTimeoutMs: DEADLINE_MS,
      minRefetchIntervalMs: 1,
    })
    const claims = { iss: other.url, aud: 'my-client', exp: VALID_EXP_S, groups: ['g'] }
    const warm = main.serveClaims('/claims/warm', other.sign(claims))
    expect(summarize(await auth.authenticate(mainToken(main, warm)))).toMatchObject({
      kind: 'authenticated',
    })
    other.knobs.jwks = 'hang'
    net.clock.advance(1) // past the refetch rate limit
    const rotated = main.serveClaims('/claims/rotated', other.sign(claims, { kid: 'new-kid' }))
    expect(await atTheDeadline(auth.authenticate(mainToken(main, rotated)))).toEqual({
      kind: 'rejected',
      reason: 'keys_unavailable',
      transient: true,
      message:
        'oidc: could not expand distributed claims: verify distributed claim token: failed to verify signature: fetching keys context deadline exceeded',
    })
  })
})

describe('distributed claims: a flood of distinct issuers', () => {
  it('after 20 distinct failing distributed issuers, a new valid one still resolves', async () => {
    const main = net.issuer()
    const other = net.issuer({ keyFamily: 'distributed-other' })
    const auth = await authenticatorFor([entryFor(main, MAPPINGS)])
    for (let n = 0; n < 20; n++) {
      // Nothing answers at port 1: each discovery fails at once.
      const endpoint = main.serveClaims(
        `/claims/flood-${n}`,
        unsignedJwt({ iss: `https://127.0.0.1:1/flood-${n}`, aud: 'my-client', exp: VALID_EXP_S }),
      )
      expect(summarize(await auth.authenticate(mainToken(main, endpoint)))).toMatchObject({
        kind: 'rejected',
        message: notInitialized(`https://127.0.0.1:1/flood-${n}`),
      })
    }
    const endpoint = main.serveClaims(
      '/claims/valid',
      other.sign({ iss: other.url, aud: 'my-client', exp: VALID_EXP_S, groups: ['team'] }),
    )
    expect(summarize(await auth.authenticate(mainToken(main, endpoint)))).toEqual({
      kind: 'authenticated',
      user: { username: 'jane', uid: '', groups: ['team'], extra: {} },
    })
  })

  it('a working distributed issuer keeps its verifier through a flood of failing ones', async () => {
    const main = net.issuer()
    const other = net.issuer({ keyFamily: 'distributed-kept' })
    const auth = await authenticatorFor([entryFor(main, MAPPINGS)])
    const valid = main.serveClaims(
      '/claims/valid',
      other.sign({ iss: other.url, aud: 'my-client', exp: VALID_EXP_S, groups: ['team'] }),
    )
    expect(summarize(await auth.authenticate(mainToken(main, valid)))).toMatchObject({
      kind: 'authenticated',
    })
    const discoveries = other.count('/.well-known/openid-configuration')
    for (let n = 0; n < 20; n++) {
      const endpoint = main.serveClaims(
        `/claims/flood-${n}`,
        unsignedJwt({ iss: `https://127.0.0.1:1/flood-${n}`, aud: 'my-client', exp: VALID_EXP_S }),
      )
      await auth.authenticate(mainToken(main, endpoint))
    }
    expect(summarize(await auth.authenticate(mainToken(main, valid)))).toMatchObject({
      kind: 'authenticated',
    })
    expect(other.count('/.well-known/openid-configuration')).toBe(discoveries)
  })
})
