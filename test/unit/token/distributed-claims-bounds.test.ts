/**
 * Distributed claims stay inside kube-apiserver's 30 s webhook budget: the whole
 * resolution (endpoint, first-use discovery, keys) has one deadline, and a flood
 * of distinct distributed issuers cannot lock out a later valid one.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { VALID_EXP_S } from '../../helpers/fixed-clock.js'
import { startTestIssuer, type TestIssuer } from '../../helpers/issuer.js'
import { b64url, type Json } from '../../helpers/tokens.js'
import { authenticatorFor, entryFor, summarize } from './authenticator-helpers.js'

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.()
})

async function issuerUp(keyFamily?: string): Promise<TestIssuer> {
  const i = await startTestIssuer(keyFamily === undefined ? {} : { keyFamily })
  stops.push(() => i.stop())
  return i
}

const MAPPINGS = {
  claimMappings: {
    username: { claim: 'username', prefix: '' },
    groups: { claim: 'groups', prefix: '' },
  },
}

function mainToken(main: TestIssuer, endpoint: string): string {
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

describe('distributed claims: one deadline for the whole resolution', () => {
  it.each([
    [
      'an endpoint that never answers',
      async (_main: TestIssuer): Promise<string> => {
        const slow = await issuerUp()
        slow.knobs.delayMs = 60_000
        return slow.serveClaims('/claims/slow', 'never sent')
      },
      /^oidc: could not expand distributed claims: while getting distributed claim "groups": Get "https:\/\/127\.0\.0\.1:\d+\/claims\/slow": context deadline exceeded$/,
      'distributed_claims_failed',
    ],
    [
      'a distributed issuer whose discovery never answers',
      async (main: TestIssuer): Promise<string> => {
        const hanging = await issuerUp()
        hanging.knobs.discovery = 'hang'
        return main.serveClaims(
          '/claims/hang',
          unsignedJwt({ iss: hanging.url, aud: 'my-client', exp: VALID_EXP_S, groups: ['g'] }),
        )
      },
      /^oidc: could not expand distributed claims: verifying untrusted issuer https:\/\/127\.0\.0\.1:\d+ failed: verifier not initialized for issuer: "https:\/\/127\.0\.0\.1:\d+"$/,
      'distributed_claims_failed',
    ],
    [
      'a distributed issuer whose first JWKS fetch never answers',
      async (main: TestIssuer): Promise<string> => {
        const slowKeys = await issuerUp('slow-keys')
        slowKeys.knobs.jwks = 'hang'
        return main.serveClaims(
          '/claims/keys',
          slowKeys.sign({ iss: slowKeys.url, aud: 'my-client', exp: VALID_EXP_S, groups: ['g'] }),
        )
      },
      /^oidc: could not expand distributed claims: verifying untrusted issuer https:\/\/127\.0\.0\.1:\d+ failed: verifier not initialized for issuer: "https:\/\/127\.0\.0\.1:\d+"$/,
      'distributed_claims_failed',
    ],
  ])(
    '%s fails at the deadline, as a transient refusal',
    async (_name, endpointFor, message, reason) => {
      const main = await issuerUp()
      const endpoint = await endpointFor(main)
      // The per-request fetch timeout alone (10 s, several in a row) would exceed the budget.
      const auth = await authenticatorFor([entryFor(main, MAPPINGS)], {
        distributedClaimsTimeoutMs: 400,
      })
      stops.push(() => auth.close())
      const outcome = summarize(await auth.authenticate(mainToken(main, endpoint)))
      expect(outcome).toMatchObject({ kind: 'rejected', reason, transient: true })
      expect((outcome as { message: string }).message).toMatch(message)
    },
  )
})

describe('distributed claims: the deadline covers the key refetch', () => {
  it('a refetch for an unknown kid that never answers fails at the deadline', async () => {
    const main = await issuerUp()
    const other = await issuerUp('refetch-hangs')
    const auth = await authenticatorFor([entryFor(main, MAPPINGS)], {
      distributedClaimsTimeoutMs: 400,
      minRefetchIntervalMs: 1,
    })
    stops.push(() => auth.close())
    const claims = { iss: other.url, aud: 'my-client', exp: VALID_EXP_S, groups: ['g'] }
    const warm = main.serveClaims('/claims/warm', other.sign(claims))
    expect(summarize(await auth.authenticate(mainToken(main, warm)))).toMatchObject({
      kind: 'authenticated',
    })
    other.knobs.jwks = 'hang'
    const rotated = main.serveClaims('/claims/rotated', other.sign(claims, { kid: 'new-kid' }))
    expect(summarize(await auth.authenticate(mainToken(main, rotated)))).toEqual({
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
    const main = await issuerUp()
    const other = await issuerUp('distributed-other')
    const auth = await authenticatorFor([entryFor(main, MAPPINGS)])
    stops.push(() => auth.close())
    for (let n = 0; n < 20; n++) {
      // Nothing listens on port 1: each discovery fails at once.
      const endpoint = main.serveClaims(
        `/claims/flood-${n}`,
        unsignedJwt({ iss: `https://127.0.0.1:1/flood-${n}`, aud: 'my-client', exp: VALID_EXP_S }),
      )
      expect(summarize(await auth.authenticate(mainToken(main, endpoint)))).toMatchObject({
        kind: 'rejected',
        message: `oidc: could not expand distributed claims: verifying untrusted issuer https://127.0.0.1:1/flood-${n} failed: verifier not initialized for issuer: "https://127.0.0.1:1/flood-${n}"`,
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
    const main = await issuerUp()
    const other = await issuerUp('distributed-kept')
    const auth = await authenticatorFor([entryFor(main, MAPPINGS)])
    stops.push(() => auth.close())
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
