/**
 * The token pipeline with static keys for all nine algorithms: one table per concern of the
 * verification checklist, each asserting the exact outcome and message.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  ALL_ALGS,
  staticTestIssuer,
  type SignOptions,
  type StaticTestIssuer,
} from '../../helpers/issuer.js'
import { at, EXPIRED_S, NOW_S, VALID_EXP_S } from '../../helpers/fixed-clock.js'
import { b64url, hs256Jwt, noneJwt, rawJwt, signInput, type Json } from '../../helpers/tokens.js'
import { authenticatorFor, entryFor, summarize, type JwtEntry } from './authenticator-helpers.js'

let issuer: StaticTestIssuer
let stranger: KeyObject | undefined

beforeAll(async () => {
  issuer = staticTestIssuer()
})
afterAll(async () => {
  await issuer.stop()
})

interface Case {
  name: string
  patch?: JwtEntry
  /** Claims merged over the defaults (iss, aud, exp, username); `undefined` values delete a claim. */
  claims?: Json
  sign?: SignOptions
  /** Builds the whole token instead. */
  raw?: (issuer: StaticTestIssuer) => string
  want: unknown
}

function claimsFor(extra: Json = {}): Json {
  const base: Json = { iss: issuer.url, aud: 'my-client', exp: VALID_EXP_S, username: 'jane' }
  const merged: Json = { ...base, ...extra }
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k]
  return merged
}

async function run(c: Case): Promise<unknown> {
  const auth = await authenticatorFor([entryFor(issuer, c.patch)], {
    keySetFor: (i) => issuer.keySetFor(i),
  })
  try {
    const token = c.raw !== undefined ? c.raw(issuer) : issuer.sign(claimsFor(c.claims), c.sign)
    return summarize(await auth.authenticate(token))
  } finally {
    await auth.close()
  }
}

const user = (
  username: string,
  more: Partial<{ uid: string; groups: string[]; extra: Record<string, string[]> }> = {},
) => ({
  kind: 'authenticated',
  user: { username, uid: more.uid ?? '', groups: more.groups ?? [], extra: more.extra ?? {} },
})
const rejected = (reason: string, message: string, transient = false) => ({
  kind: 'rejected',
  reason,
  message,
  ...(transient ? { transient: true } : {}),
})
const NOT_MINE = { kind: 'not-mine' }
const ALGS_TEXT = '["ES256" "ES384" "ES512" "PS256" "PS384" "PS512" "RS256" "RS384" "RS512"]'

describe('issuer selection', () => {
  const cases: Case[] = [
    { name: 'valid token is authenticated', want: user('jane') },
    {
      name: 'iss with a trailing slash is not matched',
      claims: { iss: 'ISSUER/' },
      want: NOT_MINE,
    },
    {
      name: 'padded payload is not matched',
      raw: (i) => {
        const t = i.sign(claimsFor({ pad: 'x' }))
        const [h, p, s] = t.split('.')
        return `${h}.${p}${'='.repeat((4 - ((p ?? '').length % 4)) % 4 || 2)}.${s}`
      },
      want: NOT_MINE,
    },
    {
      name: 'payload with a non-base64url character is not matched',
      raw: (i) => {
        const [h, p, s] = i.sign(claimsFor()).split('.')
        return `${h}.${(p ?? '').slice(0, -1)}+.${s}`
      },
      want: NOT_MINE,
    },
    {
      name: 'two-part token is not matched',
      raw: (i) => i.sign(claimsFor()).split('.').slice(0, 2).join('.'),
      want: NOT_MINE,
    },
    {
      name: 'five-part token (JWE shape) is not matched',
      raw: (i) => `${i.sign(claimsFor())}.a.b`,
      want: NOT_MINE,
    },
    {
      name: 'JSON serialization is not matched',
      raw: () => ' {"payload":"x.y.z"}',
      want: NOT_MINE,
    },
    { name: 'numeric iss is not matched', claims: { iss: 5 }, want: NOT_MINE },
    {
      name: 'payload that is a JSON array is not matched',
      raw: (i) => rawJwt({ alg: 'RS256' }, `[${JSON.stringify(i.url)}]`),
      want: NOT_MINE,
    },
  ]
  it.each(cases)('$name', async (c) => {
    if (c.claims?.iss === 'ISSUER/') c.claims.iss = `${issuer.url}/`
    expect(await run(c)).toEqual(c.want)
  })
})

describe('standard claims and time', () => {
  const cases: Case[] = [
    {
      name: 'missing exp is rejected',
      claims: { exp: undefined },
      want: rejected(
        'expired',
        'oidc: verify token: oidc: token is expired (Token Expiry: 0001-01-01 00:00:00 +0000 UTC)',
      ),
    },
    {
      name: 'exp one second ago is rejected (no leeway)',
      claims: { exp: EXPIRED_S },
      want: rejected(
        'expired',
        'oidc: verify token: oidc: token is expired (Token Expiry: 2029-12-31 23:59:59 +0000 UTC)',
      ),
    },
    { name: 'exp exactly now is accepted', claims: { exp: NOW_S }, want: user('jane') },
    {
      name: 'fractional exp is truncated',
      claims: { exp: EXPIRED_S + 0.9 },
      want: rejected(
        'expired',
        'oidc: verify token: oidc: token is expired (Token Expiry: 2029-12-31 23:59:59 +0000 UTC)',
      ),
    },
    { name: 'nbf 59 s ahead is accepted', claims: { nbf: at(59) }, want: user('jane') },
    {
      name: 'nbf 61 s ahead is rejected',
      claims: { nbf: at(61) },
      want: rejected(
        'not_yet_valid',
        'oidc: verify token: oidc: current time 2030-01-01 00:00:00 +0000 UTC before the nbf (not before) time: 2030-01-01 00:01:01 +0000 UTC',
      ),
    },
    { name: 'nbf null is ignored', claims: { nbf: null }, want: user('jane') },
    { name: 'iat in the future is accepted', claims: { iat: at(86400) }, want: user('jane') },
    { name: 'iat missing is accepted', claims: { iat: undefined }, want: user('jane') },
    {
      name: 'iat quoted numeral is accepted (json.Number quirk)',
      claims: { iat: '1700000000' },
      want: user('jane'),
    },
    {
      name: 'iat "abc" is rejected',
      claims: { iat: 'abc' },
      want: rejected(
        'malformed',
        'oidc: verify token: oidc: failed to unmarshal claims: json: invalid number literal, trying to unmarshal "\\"abc\\"" into Number',
      ),
    },
    {
      name: 'exp as a bool is rejected',
      claims: { exp: true },
      want: rejected(
        'malformed',
        'oidc: verify token: oidc: failed to unmarshal claims: json: cannot unmarshal bool into Go struct field idToken.exp of type json.Number',
      ),
    },
    {
      name: 'exp null is rejected',
      claims: { exp: null },
      want: rejected(
        'malformed',
        'oidc: verify token: oidc: failed to unmarshal claims: strconv.ParseFloat: parsing "": invalid syntax',
      ),
    },
    {
      name: 'numeric sub is rejected',
      claims: { sub: 42 },
      want: rejected(
        'malformed',
        'oidc: verify token: oidc: failed to unmarshal claims: json: cannot unmarshal number into Go struct field idToken.sub of type string',
      ),
    },
    {
      name: 'numeric nonce is rejected',
      claims: { nonce: 1 },
      want: rejected(
        'malformed',
        'oidc: verify token: oidc: failed to unmarshal claims: json: cannot unmarshal number into Go struct field idToken.nonce of type string',
      ),
    },
    { name: 'aud as a string is accepted', claims: { aud: 'my-client' }, want: user('jane') },
    {
      name: 'aud as an array is accepted',
      claims: { aud: ['other', 'my-client'] },
      want: user('jane'),
    },
    {
      name: 'wrong aud is rejected',
      claims: { aud: 'not-my-client' },
      want: rejected(
        'audience_mismatch',
        'oidc: verify token: oidc: expected audience "my-client" got ["not-my-client"]',
      ),
    },
    {
      name: 'missing aud is rejected',
      claims: { aud: undefined },
      want: rejected(
        'audience_mismatch',
        'oidc: verify token: oidc: expected audience "my-client" got []',
      ),
    },
    {
      name: 'numeric aud is rejected',
      claims: { aud: 5 },
      want: rejected(
        'malformed',
        'oidc: verify token: oidc: failed to unmarshal claims: json: cannot unmarshal number into Go struct field idToken.aud of type []string',
      ),
    },
    {
      name: 'wrong aud is reported before expiry',
      claims: { aud: 'x', exp: EXPIRED_S },
      want: rejected(
        'audience_mismatch',
        'oidc: verify token: oidc: expected audience "my-client" got ["x"]',
      ),
    },
    {
      name: 'two audiences: the second one suffices',
      patch: { issuer: { audiences: ['my-client', 'other'], audienceMatchPolicy: 'MatchAny' } },
      claims: { aud: ['other'] },
      want: user('jane'),
    },
    {
      name: 'two audiences: none matching is rejected after the signature',
      patch: { issuer: { audiences: ['my-client', 'a'], audienceMatchPolicy: 'MatchAny' } },
      claims: { aud: ['c'] },
      want: rejected(
        'audience_mismatch',
        'oidc: verify token: oidc: expected audience in ["a" "my-client"] got ["c"]',
      ),
    },
    {
      name: 'two audiences: an expired token with a wrong aud reports the expiry first',
      patch: { issuer: { audiences: ['my-client', 'a'], audienceMatchPolicy: 'MatchAny' } },
      claims: { aud: ['c'], exp: EXPIRED_S },
      want: rejected(
        'expired',
        'oidc: verify token: oidc: token is expired (Token Expiry: 2029-12-31 23:59:59 +0000 UTC)',
      ),
    },
    { name: 'iss differing in case is not matched', claims: { iss: 'CASE' }, want: NOT_MINE },
    {
      name: '_claim_names naming a missing source is rejected',
      claims: { _claim_names: { groups: 'src1' } },
      want: rejected('malformed', 'oidc: verify token: oidc: source does not exist'),
    },
    {
      name: '_claim_names with an empty source is rejected',
      claims: { _claim_names: { groups: '' } },
      want: rejected(
        'malformed',
        'oidc: verify token: oidc: failed to obtain source from claim name',
      ),
    },
  ]
  it.each(cases)('$name', async (c) => {
    if (c.claims?.iss === 'CASE') c.claims.iss = issuer.url.toUpperCase()
    expect(await run(c)).toEqual(c.want)
  })
})

describe('signatures and algorithms', () => {
  it.each(ALL_ALGS.map((alg) => ({ alg })))('$alg verifies', async ({ alg }) => {
    expect(await run({ name: alg, sign: { alg }, want: null })).toEqual(user('jane'))
  })

  const badSig = rejected(
    'bad_signature',
    'oidc: verify token: failed to verify signature: failed to verify id token signature',
  )
  const cases: Case[] = [
    { name: 'kid absent tries every key', sign: { alg: 'ES384', kid: null }, want: user('jane') },
    { name: 'empty kid tries every key', sign: { alg: 'PS512', kid: '' }, want: user('jane') },
    {
      name: 'HS256 keyed with the public key is rejected',
      raw: (i) => hs256Jwt(JSON.stringify(i.keys.RS256?.publicJwk), claimsFor()),
      want: rejected(
        'unsupported_algorithm',
        `oidc: verify token: oidc: id token signed with unsupported algorithm, expected ${ALGS_TEXT} got "HS256"`,
      ),
    },
    {
      name: 'alg none is rejected',
      raw: () => noneJwt(claimsFor()),
      want: rejected(
        'unsupported_algorithm',
        `oidc: verify token: oidc: id token signed with unsupported algorithm, expected ${ALGS_TEXT} got "none"`,
      ),
    },
    {
      name: 'EdDSA is rejected',
      raw: () => rawJwt({ alg: 'EdDSA' }, claimsFor(), Buffer.alloc(64)),
      want: rejected(
        'unsupported_algorithm',
        `oidc: verify token: oidc: id token signed with unsupported algorithm, expected ${ALGS_TEXT} got "EdDSA"`,
      ),
    },
    {
      name: 'missing alg is rejected',
      raw: () => rawJwt({ typ: 'JWT' }, claimsFor(), Buffer.alloc(64)),
      want: rejected(
        'unsupported_algorithm',
        `oidc: verify token: oidc: id token signed with unsupported algorithm, expected ${ALGS_TEXT} got ""`,
      ),
    },
    {
      name: 'numeric alg is malformed',
      raw: () => rawJwt({ alg: 5 }, claimsFor(), Buffer.alloc(64)),
      want: rejected(
        'malformed',
        'oidc: verify token: oidc: malformed jwt: failed to unmarshal JWK algorithm: json: cannot unmarshal number into Go value of type string: "5"',
      ),
    },
    {
      name: 'header that is not base64url is malformed',
      raw: (i) => `%%%.${i.sign(claimsFor()).split('.').slice(1).join('.')}`,
      want: rejected(
        'malformed',
        'oidc: verify token: oidc: malformed jwt: illegal base64 data at input byte 0',
      ),
    },
    {
      name: "RS256 header with an EC key's kid does not verify",
      raw: (i) => {
        const header = { alg: 'RS256', kid: i.keys.ES256?.kid }
        const input = `${b64url(header)}.${b64url(claimsFor())}`
        return `${input}.${signInput('ES256', input, i.keys.ES256!.privateKey).toString('base64url')}`
      },
      want: badSig,
    },
    {
      name: 'ES384 header signed by the P-256 key does not verify',
      raw: (i) => {
        const header = { alg: 'ES384', kid: i.keys.ES256?.kid }
        const input = `${b64url(header)}.${b64url(claimsFor())}`
        return `${input}.${signInput('ES256', input, i.keys.ES256!.privateKey).toString('base64url')}`
      },
      want: badSig,
    },
    {
      name: 'signature by a stranger key with a known kid is rejected',
      sign: { alg: 'RS256', key: strangerKey() },
      want: badSig,
    },
    { name: 'tampered payload is rejected', raw: (i) => tamper(i.sign(claimsFor())), want: badSig },
    {
      name: 'unknown crit header never verifies',
      sign: { alg: 'RS256', header: { crit: ['exp'], exp: 1 } },
      want: badSig,
    },
    {
      name: 'jku/x5u/jwk headers are ignored, the JWKS key decides',
      sign: {
        alg: 'RS256',
        header: { jku: 'https://127.0.0.1:1/evil', x5u: 'https://127.0.0.1:1/x5u' },
      },
      want: user('jane'),
    },
  ]
  it.each(cases)('$name', async (c) => {
    expect(await run(c)).toEqual(c.want)
  })
})

function strangerKey(): KeyObject {
  stranger ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  return stranger
}
function tamper(token: string): string {
  const [h, , s] = token.split('.')
  return `${h}.${b64url(claimsFor({ username: 'mallory' }))}.${s}`
}
