import { describe, expect, it } from '@jest/globals'
import { MAX_IDENTITY_CLAIM_LENGTH, tokenIdentity } from '../../../src/token/token-identity.js'

describe('tokenIdentity', () => {
  it('reads sub, jti, sid and iat', () => {
    expect(tokenIdentity({ sub: 's', jti: 'j', sid: 'x', iat: 1700000000, aud: 'k' })).toEqual({
      subject: 's',
      tokenID: 'j',
      sessionID: 'x',
      issuedAt: 1700000000,
    })
  })

  it('leaves out absent claims', () => {
    expect(tokenIdentity({ iss: 'https://a' })).toEqual({})
  })

  it.each([
    [
      'a fractional iat, truncated as go-oidc does',
      { iat: 1700000000.9 },
      { issuedAt: 1700000000 },
    ],
    [
      'a quoted numeral iat, as go-oidc accepts it',
      { iat: '1700000000' },
      { issuedAt: 1700000000 },
    ],
    ['a non-numeric iat string', { iat: 'yesterday' }, {}],
    ['a null iat', { iat: null }, {}],
    ['a numeric sub', { sub: 42 }, {}],
    ['a jti list', { jti: ['a'] }, {}],
    ['claims keyed in another case', { SUB: 's', Jti: 'j', IAT: 1 }, {}],
    [
      'a sid longer than any revocation entry',
      { sid: 'x'.repeat(MAX_IDENTITY_CLAIM_LENGTH + 1) },
      {},
    ],
  ])('%s', (_name, claims, want) => {
    expect(tokenIdentity(claims)).toEqual(want)
  })
})
