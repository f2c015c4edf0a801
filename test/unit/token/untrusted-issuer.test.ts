/** The unverified peek at `iss` that picks the issuer, as kube-apiserver's untrustedIssuer. */
import { describe, expect, it } from '@jest/globals'
import { peekUntrustedIssuer } from '../../../src/token/untrusted-issuer.js'
import { b64url, rawJwt } from '../../helpers/tokens.js'

describe('peekUntrustedIssuer', () => {
  const cases: Array<{ name: string; token: string; want: string | undefined }> = [
    { name: 'plain iss', token: rawJwt({}, { iss: 'https://x' }), want: 'https://x' },
    {
      name: 'accounts.google.com is coalesced',
      token: rawJwt({}, { iss: 'accounts.google.com' }),
      want: 'https://accounts.google.com',
    },
    {
      name: 'ISS in another case matches like Go struct decoding',
      token: rawJwt({}, { ISS: 'https://x' }),
      want: 'https://x',
    },
    {
      name: 'duplicate iss: the last one wins',
      token: rawJwt({}, '{"iss":"https://a","iss":"https://b"}'),
      want: 'https://b',
    },
    { name: 'missing iss peeks as empty', token: rawJwt({}, { sub: 'x' }), want: '' },
    { name: 'null payload peeks as empty', token: rawJwt({}, 'null'), want: '' },
    {
      name: 'newline inside the payload is ignored by Go base64',
      token: (() => {
        const [h, p, s] = rawJwt({}, { iss: 'https://x', pad: 'abcdef' }).split('.')
        return `${h}.${p?.slice(0, 4)}\n${p?.slice(4)}.${s}`
      })(),
      want: 'https://x',
    },
    {
      name: 'padding is refused',
      token: `${b64url('{}')}.${b64url('{"iss":"https://x"}')}=.x`,
      want: undefined,
    },
    {
      name: 'standard base64 "+" is refused',
      token: `e30.${Buffer.from('{"iss":"https://x?>>"}').toString('base64').replace(/=+$/, '')}.x`,
      want: undefined,
    },
    {
      name: 'one leftover base64 character is refused',
      token: `e30.${b64url('{"iss":"https://x"}')}A.x`,
      want: undefined,
    },
    { name: 'numeric iss is refused', token: rawJwt({}, { iss: 1 }), want: undefined },
    { name: 'leading space then { is refused', token: '  {"a":1}.b.c', want: undefined },
    {
      name: 'four parts are refused',
      token: `${rawJwt({}, { iss: 'https://x' })}.x`,
      want: undefined,
    },
  ]
  it.each(cases)('$name', ({ token, want }) => {
    expect(peekUntrustedIssuer(token)?.issuer).toBe(want)
  })
})
