/**
 * Tokens with two or three faults at once, and the one error each gets: the
 * first in the order of go-oidc v2.5.0 as Kubernetes 1.36 and later vendor it
 * (JWS, `alg`, signature, then the claims: issuer, single audience, `exp`,
 * `nbf`), followed by kube-apiserver's own several-audience check, mapping and
 * rules. Under go-oidc v2.3.0 (Kubernetes 1.35 and older) the claims came
 * before `alg` and the signature; `before` says what that order reported, where
 * it differs. Real signed tokens, verified with a static key set.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { staticTestIssuer, type SignOptions, type StaticTestIssuer } from '../../helpers/issuer.js'
import { at, EXPIRED_S, VALID_EXP_S } from '../../helpers/fixed-clock.js'
import { hs256Jwt, noneJwt, rawJwt, type Json } from '../../helpers/tokens.js'
import { authenticatorFor, entryFor, summarize, type JwtEntry } from './authenticator-helpers.js'

let issuer: StaticTestIssuer
let stranger: KeyObject

beforeAll(async () => {
  issuer = staticTestIssuer({ algorithms: ['RS256'] })
  stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
})
afterAll(async () => {
  await issuer.stop()
})

const PREFIX = 'oidc: verify token: '
const ALGS = '["ES256" "ES384" "ES512" "PS256" "PS384" "PS512" "RS256" "RS384" "RS512"]'
const BAD_SIGNATURE = {
  reason: 'bad_signature',
  message: `${PREFIX}failed to verify signature: failed to verify id token signature`,
}
const unsupported = (alg: string) => ({
  reason: 'unsupported_algorithm',
  message: `${PREFIX}oidc: id token signed with unsupported algorithm, expected ${ALGS} got "${alg}"`,
})
const EXPIRED = {
  reason: 'expired',
  message: `${PREFIX}oidc: token is expired (Token Expiry: 2029-12-31 23:59:59 +0000 UTC)`,
}
const WRONG_AUDIENCE = {
  reason: 'audience_mismatch',
  message: `${PREFIX}oidc: expected audience "my-client" got ["other"]`,
}

type Fault =
  | 'bad signature'
  | 'unknown kid'
  | 'HS256'
  | 'alg none'
  | 'numeric alg'
  | 'expired'
  | 'not yet valid'
  | 'wrong audience'
  | 'exp not a number'
  | 'missing claim source'
  | 'claim rule fails'
  | 'user rule fails'
  | 'email not verified'

interface MultiFaultCase {
  readonly faults: readonly Fault[]
  /** Two audiences with MatchAny (kube-apiserver checks them after go-oidc). */
  readonly twoAudiences?: true
  readonly want: { reason: string; message: string }
  /** The first error under go-oidc v2.3.0, when it differs. */
  readonly before?: { reason: string; message: string }
}

const CASES: readonly MultiFaultCase[] = [
  { faults: ['expired', 'bad signature'], want: BAD_SIGNATURE, before: EXPIRED },
  { faults: ['wrong audience', 'HS256'], want: unsupported('HS256'), before: WRONG_AUDIENCE },
  { faults: ['wrong audience', 'bad signature'], want: BAD_SIGNATURE, before: WRONG_AUDIENCE },
  { faults: ['expired', 'alg none'], want: unsupported('none'), before: EXPIRED },
  {
    faults: ['wrong audience', 'expired', 'alg none'],
    want: unsupported('none'),
    before: WRONG_AUDIENCE,
  },
  {
    faults: ['wrong audience', 'expired', 'bad signature'],
    want: BAD_SIGNATURE,
    before: WRONG_AUDIENCE,
  },
  { faults: ['expired', 'unknown kid'], want: BAD_SIGNATURE, before: EXPIRED },
  { faults: ['not yet valid', 'bad signature'], want: BAD_SIGNATURE },
  {
    faults: ['exp not a number', 'bad signature'],
    want: BAD_SIGNATURE,
    before: {
      reason: 'malformed',
      message: `${PREFIX}oidc: failed to unmarshal claims: json: invalid number literal, trying to unmarshal "\\"abc\\"" into Number`,
    },
  },
  {
    faults: ['missing claim source', 'bad signature'],
    want: BAD_SIGNATURE,
    before: { reason: 'malformed', message: `${PREFIX}oidc: source does not exist` },
  },
  {
    faults: ['missing claim source', 'HS256', 'expired'],
    want: unsupported('HS256'),
    before: { reason: 'malformed', message: `${PREFIX}oidc: source does not exist` },
  },
  // Unchanged between the two orders.
  {
    faults: ['numeric alg', 'expired'],
    want: {
      reason: 'malformed',
      message: `${PREFIX}oidc: malformed jwt: failed to unmarshal JWK algorithm: json: cannot unmarshal number into Go value of type string: "5"`,
    },
  },
  { faults: ['HS256', 'bad signature'], want: unsupported('HS256') },
  { faults: ['wrong audience', 'expired'], want: WRONG_AUDIENCE },
  { faults: ['expired', 'not yet valid'], want: EXPIRED },
  {
    faults: ['missing claim source', 'expired'],
    want: { reason: 'malformed', message: `${PREFIX}oidc: source does not exist` },
  },
  { faults: ['wrong audience', 'expired'], twoAudiences: true, want: EXPIRED },
  { faults: ['wrong audience', 'bad signature'], twoAudiences: true, want: BAD_SIGNATURE },
  { faults: ['expired', 'claim rule fails', 'user rule fails'], want: EXPIRED },
  { faults: ['email not verified', 'claim rule fails', 'bad signature'], want: BAD_SIGNATURE },
  {
    faults: ['email not verified', 'claim rule fails', 'user rule fails'],
    want: { reason: 'email_not_verified', message: 'oidc: email not verified' },
  },
  {
    faults: ['claim rule fails', 'user rule fails'],
    want: {
      reason: 'claim_rule_failed',
      message:
        'oidc: error evaluating claim validation expression: validation expression \'claims.tier == "gold"\' failed: gold tier only',
    },
  },
]

function claimsFor(faults: readonly Fault[]): Json {
  const claims: Json = {
    iss: issuer.url,
    aud: 'my-client',
    exp: VALID_EXP_S,
    username: 'jane',
    email: 'jane@example.com',
    email_verified: true,
    tier: 'gold',
  }
  if (faults.includes('expired')) claims.exp = EXPIRED_S
  if (faults.includes('not yet valid')) claims.nbf = at(120)
  if (faults.includes('wrong audience')) claims.aud = 'other'
  if (faults.includes('exp not a number')) claims.exp = 'abc'
  if (faults.includes('missing claim source')) claims._claim_names = { groups: 'src1' }
  if (faults.includes('claim rule fails')) claims.tier = 'silver'
  if (faults.includes('email not verified')) claims.email_verified = false
  if (faults.includes('user rule fails')) claims.username = 'system:jane'
  return claims
}

function tokenFor(faults: readonly Fault[]): string {
  const claims = claimsFor(faults)
  if (faults.includes('HS256'))
    return hs256Jwt(JSON.stringify(issuer.keys.RS256?.publicJwk), claims)
  if (faults.includes('alg none')) return noneJwt(claims)
  if (faults.includes('numeric alg')) return rawJwt({ alg: 5 }, claims, Buffer.alloc(64))
  const sign: SignOptions = { alg: 'RS256' }
  if (faults.includes('bad signature')) sign.key = stranger
  if (faults.includes('unknown kid')) sign.kid = 'no-such-kid'
  return issuer.sign(claims, sign)
}

function entry(c: MultiFaultCase): JwtEntry {
  const mapping = c.faults.includes('email not verified')
    ? { username: { claim: 'email', prefix: '' } }
    : { username: { claim: 'username', prefix: '' } }
  return entryFor(issuer, {
    ...(c.twoAudiences
      ? { issuer: { audiences: ['my-client', 'a'], audienceMatchPolicy: 'MatchAny' } }
      : {}),
    claimMappings: mapping,
    claimValidationRules: [{ expression: 'claims.tier == "gold"', message: 'gold tier only' }],
    userValidationRules: [
      { expression: "!user.username.startsWith('system:')", message: 'no system users' },
    ],
  })
}

describe('multi-fault tokens get the first error of the Kubernetes 1.37 order', () => {
  const rows = CASES.map((c) => ({
    ...c,
    title: `${c.faults.join(' + ')}${c.twoAudiences ? ' (two audiences)' : ''}`,
  }))

  it.each(rows)('$title', async (c) => {
    const auth = await authenticatorFor([entry(c)], { keySetFor: (i) => issuer.keySetFor(i) })
    try {
      expect(summarize(await auth.authenticate(tokenFor(c.faults)))).toEqual({
        kind: 'rejected',
        ...c.want,
      })
    } finally {
      await auth.close()
    }
  })

  it('every case holds two or three faults, and the table covers each fault', () => {
    for (const c of CASES) expect([2, 3]).toContain(c.faults.length)
    const covered = new Set(CASES.flatMap((c) => c.faults))
    expect(covered.size).toBe(13)
    // The order changed for these: the test would fail under the older order.
    expect(CASES.filter((c) => c.before !== undefined)).toHaveLength(10)
  })

  it('a token without faults authenticates through the same config', async () => {
    const c: MultiFaultCase = { faults: [], want: BAD_SIGNATURE }
    const auth = await authenticatorFor([entry(c)], { keySetFor: (i) => issuer.keySetFor(i) })
    try {
      expect(summarize(await auth.authenticate(tokenFor([])))).toMatchObject({
        kind: 'authenticated',
      })
    } finally {
      await auth.close()
    }
  })
})
