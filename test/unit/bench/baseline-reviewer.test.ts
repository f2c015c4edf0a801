import { describe, expect, it } from '@jest/globals'
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { createBaselineReviewer } from '../../../bench/baseline/reviewer.js'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
const ISS = 'https://issuer.example'
const NOW_MS = Date.UTC(2026, 0, 1, 12, 0, 0)
const NOW_S = NOW_MS / 1000

const jwk = (key: KeyObject, kid: string, alg: string): object => ({
  ...createPublicKey(key).export({ format: 'jwk' }),
  kid,
  alg,
})

const config = {
  cacheTtlMs: 10_000,
  cacheMaxEntries: 2,
  issuers: [
    {
      url: ISS,
      audiences: ['bench'],
      usernamePrefix: 'oidc:',
      groupsPrefix: 'g:',
      keys: [
        { kid: 'r', alg: 'RS256', jwk: jwk(rsa, 'r', 'RS256') },
        { kid: 'e', alg: 'ES256', jwk: jwk(ec, 'e', 'ES256') },
      ],
    },
  ],
}

function token(
  claims: Record<string, unknown>,
  alg = 'RS256',
  kid = alg === 'RS256' ? 'r' : 'e',
): string {
  const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')
  const input = `${enc({ alg, kid })}.${enc(claims)}`
  const sig =
    alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key: ec, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', Buffer.from(input), rsa)
  return `${input}.${sig.toString('base64url')}`
}

const good = { iss: ISS, sub: 'alice', aud: 'bench', exp: NOW_S + 60, groups: ['dev', 'ops'] }
const review = (t: string, apiVersion = 'authentication.k8s.io/v1'): Buffer =>
  Buffer.from(
    JSON.stringify({ apiVersion, kind: 'TokenReview', spec: { token: t, audiences: ['api'] } }),
  )

describe('baseline reviewer', () => {
  it.each([
    {
      name: 'valid RS256 token is authenticated with prefixed user and groups',
      body: review(token(good)),
      want: {
        statusCode: 200,
        body: '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","status":{"authenticated":true,"user":{"username":"oidc:alice","groups":["g:dev","g:ops"]}}}',
      },
    },
    {
      name: 'valid ES256 token in a v1beta1 review is answered in v1beta1',
      body: review(token({ ...good, groups: 'dev' }, 'ES256'), 'authentication.k8s.io/v1beta1'),
      want: {
        statusCode: 200,
        body: '{"apiVersion":"authentication.k8s.io/v1beta1","kind":"TokenReview","status":{"authenticated":true,"user":{"username":"oidc:alice","groups":["g:dev"]}}}',
      },
    },
    {
      name: 'bad signature is rejected with an error',
      body: review(`${token(good).slice(0, -4)}AAAA`),
      want: {
        statusCode: 200,
        body: '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","status":{"authenticated":false,"error":"failed to verify signature"}}',
      },
    },
    {
      name: 'expired token is rejected',
      body: review(token({ ...good, exp: NOW_S - 1 })),
      want: {
        statusCode: 200,
        body: '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","status":{"authenticated":false,"error":"token is expired"}}',
      },
    },
    {
      name: 'wrong audience is rejected',
      body: review(token({ ...good, aud: ['other'] })),
      want: {
        statusCode: 200,
        body: '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","status":{"authenticated":false,"error":"audience mismatch"}}',
      },
    },
    {
      name: 'unknown issuer is not mine: no error',
      body: review(token({ ...good, iss: 'https://elsewhere' })),
      want: {
        statusCode: 200,
        body: '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","status":{"authenticated":false}}',
      },
    },
    {
      name: 'key of the wrong algorithm is refused',
      body: review(token(good, 'RS256', 'e')),
      want: {
        statusCode: 200,
        body: '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","status":{"authenticated":false,"error":"no matching key"}}',
      },
    },
    {
      name: 'not JSON is a 400',
      body: Buffer.from('{'),
      want: { statusCode: 400, body: '{"error":"malformed JSON"}' },
    },
    {
      name: 'other kind is a 400',
      body: Buffer.from('{"apiVersion":"v1","kind":"Pod"}'),
      want: { statusCode: 400, body: '{"error":"not a TokenReview"}' },
    },
  ])('$name', ({ body, want }) => {
    expect(createBaselineReviewer(config)(body, NOW_MS)).toEqual(want)
  })

  it('answers a repeated review from its cache until the entry expires', () => {
    const reviewer = createBaselineReviewer(config)
    const t = token({ ...good, exp: NOW_S + 5 })
    expect(reviewer(review(t), NOW_MS).body).toContain('"authenticated":true')
    // Past exp the cached answer must not be served: the token is re-verified and is expired.
    expect(reviewer(review(t), NOW_MS + 4_000).body).toContain('"authenticated":true')
    expect(reviewer(review(t), NOW_MS + 6_000).body).toContain('"error":"token is expired"')
  })
})
