/**
 * expandDistributedClaims on its own: when it resolves, what it leaves alone,
 * and oidc.go's message for each way a claim source can be wrong. Endpoints in
 * memory, the distributed JWT verified with static keys.
 */
import { describe, expect, it } from '@jest/globals'
import { staticKeySet } from '../../../src/issuer/static-key-set.js'
import {
  expandDistributedClaims,
  mayHaveDistributedClaim,
  type DistributedClaimsContext,
} from '../../../src/token/distributed-claims.js'
import { verifierSettings } from '../../../src/token/verify.js'
import { NOW, VALID_EXP_S } from '../../helpers/fixed-clock.js'
import { memoryNetwork, type MemoryTestIssuer } from '../../helpers/memory-issuer.js'
import type { Json } from '../../helpers/tokens.js'

const net = memoryNetwork()
const source = net.issuer({ keyFamily: 'distributed-unit', algorithms: ['ES256'] })
const keys = staticKeySet({ keys: Object.values(source.keys).map((k) => k.publicJwk) })

function context(
  overrides: Partial<DistributedClaimsContext> = {},
): DistributedClaimsContext & { asked: string[] } {
  const asked: string[] = []
  return {
    client: net.client(),
    audiences: ['my-client'],
    now: NOW,
    deadline: new AbortController().signal,
    verifierFor: async (iss) => {
      asked.push(iss)
      return { settings: verifierSettings(iss, ['my-client']), keys }
    },
    asked,
    ...overrides,
  }
}

function groupsJwt(i: MemoryTestIssuer, more: Json = {}): string {
  return i.sign(
    { iss: i.url, aud: 'my-client', exp: VALID_EXP_S, groups: ['team'], ...more },
    { alg: 'ES256' },
  )
}

const failed = (message: string, transient = false) => ({
  reason: 'distributed_claims_failed',
  message,
  transient,
})

describe('expandDistributedClaims', () => {
  it('fetches the endpoint with its access token and takes the claim from the verified JWT', async () => {
    const endpoint = source.serveClaims('/unit/ok', groupsJwt(source))
    const ctx = context()
    const claims = {
      sub: 'x',
      _claim_names: { groups: 'src' },
      _claim_sources: { src: { endpoint, access_token: 't0ken' } },
    }
    expect(await expandDistributedClaims('groups', claims, ctx)).toEqual({
      ...claims,
      groups: ['team'],
    })
    expect(source.lastAuthorization('/unit/ok')).toBe('Bearer t0ken')
    expect(ctx.asked).toEqual([source.url])
  })

  it.each<[string, Json]>([
    ['the claim is present', { groups: ['local'], _claim_names: { groups: 'src' } }],
    ['there are no claim names', { sub: 'x' }],
    ['the names point elsewhere', { _claim_names: { email: 'src' }, _claim_sources: {} }],
    [
      'the source is aggregated (no endpoint)',
      { _claim_names: { groups: 'src' }, _claim_sources: { src: { JWT: 'x.y.z' } } },
    ],
    ['the names are null', { _claim_names: null, _claim_sources: {} }],
  ])('leaves the claims alone when %s', async (_name, claims) => {
    const ctx = context()
    expect(await expandDistributedClaims('groups', claims, ctx)).toBe(claims)
    expect(ctx.asked).toEqual([])
  })

  it.each<[string, Json, string]>([
    ['no claim sources', { _claim_names: { groups: 'src' } }, 'oidc: no claim sources'],
    [
      'names that are not an object',
      { _claim_names: 5, _claim_sources: {} },
      'oidc: error parsing distributed claim names: json: cannot unmarshal number into Go value of type map[string]string',
    ],
    [
      'a name that is not a string',
      { _claim_names: { groups: 5 }, _claim_sources: {} },
      'oidc: error parsing distributed claim names: json: cannot unmarshal number into Go value of type string',
    ],
    [
      'sources that are not an object',
      { _claim_names: { groups: 'src' }, _claim_sources: [] },
      'oidc: could not parse claim sources: json: cannot unmarshal array into Go value of type map[string]oidc.endpoint',
    ],
    [
      'an endpoint that is not a string',
      { _claim_names: { groups: 'src' }, _claim_sources: { src: { endpoint: 5 } } },
      'oidc: could not parse claim sources: json: cannot unmarshal number into Go struct field endpoint.endpoint of type string',
    ],
    [
      'a source missing from the sources',
      { _claim_names: { groups: 'src' }, _claim_sources: { other: { endpoint: 'https://x' } } },
      'id token _claim_names contained a source src missing in _claims_sources',
    ],
  ])('refuses %s', async (_name, claims, message) => {
    await expect(expandDistributedClaims('groups', claims, context())).rejects.toMatchObject(
      failed(message),
    )
  })

  it.each<[string, string, string]>([
    ['a JSON body', '{"iss":"https://x"}', 'token is not compact JWT'],
    ['two parts', 'a.b', 'malformed token'],
    [
      'a payload that is not base64url',
      'a.b*c.d',
      'error decoding token: illegal base64 data at input byte 1',
    ],
  ])('names the endpoint when it serves %s', async (_name, body, why) => {
    const endpoint = source.serveClaims('/unit/bad', body)
    const claims = { _claim_names: { groups: 'src' }, _claim_sources: { src: { endpoint } } }
    await expect(expandDistributedClaims('groups', claims, context())).rejects.toMatchObject(
      failed(
        `getting untrusted issuer from endpoint ${endpoint} failed for claim "groups": ${why}`,
      ),
    )
  })

  it('reports a verifier that cannot be had, by issuer', async () => {
    const endpoint = source.serveClaims('/unit/verifier', groupsJwt(source))
    const claims = { _claim_names: { groups: 'src' }, _claim_sources: { src: { endpoint } } }
    const ctx = context({ verifierFor: async () => ({ error: 'not today' }) })
    await expect(expandDistributedClaims('groups', claims, ctx)).rejects.toMatchObject(
      failed(`verifying untrusted issuer ${source.url} failed: not today`),
    )
  })

  it('wraps a verification failure of the distributed JWT', async () => {
    const endpoint = source.serveClaims('/unit/expired', groupsJwt(source, { exp: 1 }))
    const claims = { _claim_names: { groups: 'src' }, _claim_sources: { src: { endpoint } } }
    await expect(expandDistributedClaims('groups', claims, context())).rejects.toMatchObject(
      failed(
        'verify distributed claim token: oidc: token is expired (Token Expiry: 1970-01-01 00:00:01 +0000 UTC)',
      ),
    )
  })

  it('fails as transient once the deadline has passed', async () => {
    const endpoint = source.serveClaims('/unit/late', groupsJwt(source))
    const claims = { _claim_names: { groups: 'src' }, _claim_sources: { src: { endpoint } } }
    const deadline = new AbortController()
    deadline.abort(new Error('context deadline exceeded'))
    source.knobs.stalled = true
    try {
      await expect(
        expandDistributedClaims('groups', claims, context({ deadline: deadline.signal })),
      ).rejects.toMatchObject(
        failed(
          `while getting distributed claim "groups": Get "${endpoint}": context deadline exceeded`,
          true,
        ),
      )
    } finally {
      source.knobs.stalled = false
    }
  })
})

// The check that lets the authenticator skip arming a deadline: false exactly
// when expansion returns the claims untouched without using its context.
/** A context whose every use fails the test: expansion must not touch it when the check is false. */
const untouchable = new Proxy({} as DistributedClaimsContext, {
  get(_target, name) {
    throw new Error(`context read: ${String(name)}`)
  },
})

const cases: [string, Record<string, unknown>, boolean][] = [
  ['groups present', { groups: ['a'] }, false],
  [
    'groups present, distributed too (the normal claim wins)',
    { groups: [], _claim_names: { groups: 'src1' } },
    false,
  ],
  ['groups null but present', { groups: null, _claim_names: { groups: 'src1' } }, false],
  ['no groups, no _claim_names', { sub: 'x' }, false],
  ['no groups, _claim_names present', { _claim_names: { groups: 'src1' } }, true],
  ['no groups, _claim_names null', { _claim_names: null }, true],
  [
    '_claim_names inherited, not own',
    Object.create({ _claim_names: { groups: 's' } }) as Record<string, unknown>,
    false,
  ],
]

describe('mayHaveDistributedClaim', () => {
  it.each(cases)('%s', async (_name, claims, want) => {
    expect(mayHaveDistributedClaim('groups', claims)).toBe(want)
    if (!want)
      await expect(expandDistributedClaims('groups', claims, untouchable)).resolves.toBe(claims)
  })
})
