/** Small pure pieces: the unverified peek, Go formatting, the split quirk, standard claims, google's issuer. */
import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { importKeySet } from '../../../src/issuer/jwk-import.js'
import { goQuote } from '../../../src/go/quote.js'
import { goQuoteList, goTime, goUnixTime } from '../../../src/go/format.js'
import { outermostCallIsNativeList, toStringList } from '../../../src/token/string-list.js'
import { peekUntrustedIssuer } from '../../../src/token/untrusted-issuer.js'
import { verifierSettings, verifyToken } from '../../../src/token/verify.js'
import { NOW, VALID_EXP_S } from '../../helpers/fixed-clock.js'
import { b64url, rawJwt, signJwt } from '../../helpers/tokens.js'

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

describe('Go formatting', () => {
  it.each([
    ['plain', 'abc', '"abc"'],
    ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
    ['control characters', 'a\nb\x01', '"a\\nb\\x01"'],
    ['unicode kept', 'é', '"é"'],
  ])('goQuote %s', (_n, input, want) => expect(goQuote(input)).toBe(want))
  it('goQuoteList', () => {
    expect(goQuoteList(['a', 'b'])).toBe('["a" "b"]')
    expect(goQuoteList(undefined)).toBe('[]')
  })
  it('goTime', () => {
    expect(goTime(new Date('2030-01-01T00:00:00.120Z'))).toBe('2030-01-01 00:00:00.12 +0000 UTC')
    expect(goUnixTime(0)).toBe('1970-01-01 00:00:00 +0000 UTC')
  })
})

describe('native []string quirk (bare split)', () => {
  it.each([
    ['claims.roles.split(",")', true],
    [' claims.roles.split( "," ) ', true],
    ['claims.r.findAll("[a-z]+")', true],
    ['claims.roles.split(",").map(r, r)', false],
    ['claims.roles.split(",").filter(r, r != "")', false],
    ['claims.a.split(",") + claims.b.split(",")', false],
    ['has(claims.a) ? claims.a.split(",") : []', false],
    ['claims.roles.split(",")[0]', false],
    ['"a.split(x)"', false],
    ['claims.groups', false],
  ])('%s -> %s', (expr, want) => expect(outermostCallIsNativeList(expr)).toBe(want))

  it.each([
    ['string', 'a', false, ['a']],
    ['empty string', '', false, []],
    ['null', null, false, []],
    ['list with empties', ['a', '', 'b'], false, ['a', 'b']],
  ])('toStringList %s', (_n, value, native, want) =>
    expect(toStringList(value, native)).toEqual(want),
  )
  it('toStringList refuses a native list and non-strings', () => {
    expect(() => toStringList(['a'], true)).toThrow(
      'expression must return a string or a list of strings',
    )
    expect(() => toStringList(5, false)).toThrow(
      'expression must return a string or a list of strings',
    )
    expect(() => toStringList([true], false)).toThrow(
      'expression must return a string or a list of strings',
    )
  })
})

describe('verifyToken with a static key set', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const imported = importKeySet(
    Buffer.from(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k' }] })),
  )
  if (!imported.ok) throw new Error('import failed')
  const set = imported.set
  const keys = {
    candidates: (kid: string | undefined) =>
      kid === undefined || kid === '' ? set.keys : (set.byKid.get(kid) ?? []),
    stale: false,
    ready: true,
    lastError: undefined,
    refetchForToken: () => undefined,
  }
  const google = verifierSettings('https://accounts.google.com', ['c'])

  it.each([
    [
      'accounts.google.com verifies for https://accounts.google.com',
      'accounts.google.com',
      undefined,
    ],
    ['the https form verifies too', 'https://accounts.google.com', undefined],
    [
      'another issuer is refused',
      'https://evil',
      'oidc: id token issued by a different provider, expected "https://accounts.google.com" got "https://evil"',
    ],
  ])('%s', async (_n, iss, error) => {
    const token = signJwt(
      'ES256',
      privateKey,
      { alg: 'ES256', kid: 'k' },
      { iss, aud: 'c', exp: VALID_EXP_S },
    )
    const peeked = peekUntrustedIssuer(token)
    if (peeked === undefined) throw new Error('peek failed')
    const result = verifyToken(peeked, google, keys, NOW)
    if (error === undefined) await expect(result).resolves.toMatchObject({ iss })
    else await expect(result).rejects.toThrow(error)
  })
})
