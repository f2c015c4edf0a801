/**
 * Several real HTTPS issuers behind one config: each token maps through its own
 * issuer's keys and mappings, an issuer that is down at start does not block the
 * others, and an issuer's certificateAuthority is the only trust for it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createCertificateAuthority } from '../../src/dev/certificates.js'
import { VALID_EXP_S } from '../helpers/fixed-clock.js'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import { authenticatorFor, summarize } from '../unit/token/authenticator-helpers.js'

let a: TestIssuer
let b: TestIssuer
let foreign: TestIssuer

beforeAll(async () => {
  a = await startTestIssuer({ path: '/a', keyFamily: 'a', algorithms: ['RS256'] })
  b = await startTestIssuer({ path: '/b', keyFamily: 'b', algorithms: ['ES384', 'PS256'] })
  foreign = await startTestIssuer({
    ca: await createCertificateAuthority({ commonName: 'other CA' }),
    keyFamily: 'f',
    algorithms: ['RS256'],
  })
})
afterAll(async () => {
  await Promise.all([a.stop(), b.stop(), foreign.stop()])
})

const entries = () => [
  {
    issuer: { url: a.url, certificateAuthority: a.caPem, audiences: ['kube'] },
    claimMappings: {
      username: { claim: 'email', prefix: 'a:' },
      groups: { claim: 'groups', prefix: 'a:' },
    },
  },
  {
    issuer: {
      url: b.url,
      certificateAuthority: b.caPem,
      audiences: ['kube', 'other'],
      audienceMatchPolicy: 'MatchAny',
    },
    claimMappings: {
      username: { expression: '"b:" + claims.sub' },
      extra: [{ key: 'example.org/tenant', valueExpression: 'claims.tid' }],
    },
  },
]

describe('two issuers', () => {
  it('each token maps through its own issuer', async () => {
    const auth = await authenticatorFor(entries())
    try {
      const ta = a.sign({
        iss: a.url,
        aud: 'kube',
        exp: VALID_EXP_S,
        email: 'x@a.io',
        email_verified: true,
        groups: ['dev'],
      })
      const tb = b.sign(
        { iss: b.url, aud: ['other'], exp: VALID_EXP_S, sub: '42', tid: 't1' },
        { alg: 'ES384' },
      )
      expect(summarize(await auth.authenticate(ta))).toEqual({
        kind: 'authenticated',
        user: { username: 'a:x@a.io', uid: '', groups: ['a:dev'], extra: {} },
      })
      expect(summarize(await auth.authenticate(tb))).toEqual({
        kind: 'authenticated',
        user: { username: 'b:42', uid: '', groups: [], extra: { 'example.org/tenant': ['t1'] } },
      })
      // b's key cannot sign for a: a token claiming a's iss but signed by b is refused.
      const crossed = b.sign(
        { iss: a.url, aud: 'kube', exp: VALID_EXP_S, email: 'x@a.io' },
        { alg: 'PS256', kid: null },
      )
      expect(summarize(await auth.authenticate(crossed))).toMatchObject({
        kind: 'rejected',
        reason: 'bad_signature',
      })
      expect(auth.issuers().map((s) => s.ready)).toEqual([true, true])
    } finally {
      await auth.close()
    }
  })

  it('an issuer down at start does not block the other', async () => {
    const dead = {
      issuer: { url: 'https://127.0.0.1:1/dead', audiences: ['kube'] },
      claimMappings: { username: { claim: 'sub', prefix: '' } },
    }
    const auth = await authenticatorFor([dead, ...entries()], { fetchTimeoutMs: 2000 })
    try {
      const ta = a.sign({ iss: a.url, aud: 'kube', exp: VALID_EXP_S, email: 'x@a.io' })
      expect(summarize(await auth.authenticate(ta))).toMatchObject({ kind: 'authenticated' })
      const td = a.sign({
        iss: 'https://127.0.0.1:1/dead',
        aud: 'kube',
        exp: VALID_EXP_S,
        sub: 's',
      })
      expect(summarize(await auth.authenticate(td))).toEqual({
        kind: 'rejected',
        reason: 'issuer_not_ready',
        message: 'oidc: authenticator not initialized',
        transient: true,
      })
      expect(auth.issuers().map((s) => s.ready)).toEqual([false, true, true])
    } finally {
      await auth.close()
    }
  })

  it('certificateAuthority is exclusive: a server signed by another CA is not trusted', async () => {
    const auth = await authenticatorFor([
      {
        issuer: { url: foreign.url, certificateAuthority: a.caPem, audiences: ['kube'] },
        claimMappings: { username: { claim: 'sub', prefix: '' } },
      },
    ])
    try {
      const t = foreign.sign({ iss: foreign.url, aud: 'kube', exp: VALID_EXP_S, sub: 's' })
      expect(summarize(await auth.authenticate(t))).toMatchObject({ reason: 'issuer_not_ready' })
      expect(auth.issuers()[0]?.lastError).toMatch(
        /self[- ]signed certificate|unable to verify|unable to get local issuer/,
      )
    } finally {
      await auth.close()
    }
  })
})
