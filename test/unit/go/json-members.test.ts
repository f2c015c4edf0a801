/**
 * Claims decoded as Go's encoding/json decodes them into go-oidc's and
 * kube-apiserver's structs: keys matched under Unicode simple case folding,
 * members applied in document order (the last duplicate wins), and `exp`
 * through time.Unix, whose int64 wraps for the last 62135596800 seconds below 2^63.
 */
import { generateKeyPairSync, sign } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from '@jest/globals'
import { goFieldNameMatches, goFoldKey, objectMembers } from '../../../src/go/json-members.js'
import { decodeStandardClaims } from '../../../src/token/standard-claims.js'
import { peekUntrustedIssuer } from '../../../src/token/untrusted-issuer.js'
import { verifierSettings, verifyToken } from '../../../src/token/verify.js'
import { staticKeySet } from '../../../src/issuer/static-key-set.js'
import { NOW } from '../../helpers/fixed-clock.js'
import { b64url } from '../../helpers/tokens.js'

const RUNS = { seed: 10, numRuns: 500 }

/**
 * Go's fold orbits (unicode.SimpleFold) of the runes used below. Only `ſ`
 * (U+017F) and the Kelvin sign (U+212A) share an orbit with an ASCII letter;
 * the other non-ASCII runes are look-alikes that fold elsewhere or nowhere.
 */
const GO_FOLD_ORBITS: readonly (readonly string[])[] = [
  ...'abcdefghijklmnopqrstuvwxyz'.split('').map((c) => {
    if (c === 's') return ['S', 's', '\u017f']
    if (c === 'k') return ['K', 'k', '\u212a']
    return [c.toUpperCase(), c]
  }),
  ['_'],
  ['\u0130'], // İ: no simple fold
  ['\u0131'], // ı: no simple fold
  ['\u00c5', '\u00e5', '\u212b'], // Å å and the Angstrom sign
  ['\uff33', '\uff53'], // fullwidth S s
  ['\u00df', '\u1e9e'], // ß and capital sharp s
]

function orbitOf(ch: string): readonly string[] {
  return GO_FOLD_ORBITS.find((orbit) => orbit.includes(ch)) ?? [ch]
}

/** bytes.EqualFold, by the table. */
function tableEqualFold(a: string, b: string): boolean {
  const ca = Array.from(a)
  const cb = Array.from(b)
  return ca.length === cb.length && ca.every((ch, i) => orbitOf(ch).includes(cb[i] ?? ''))
}

const RUNES = GO_FOLD_ORBITS.flat()
const key = fc.array(fc.constantFrom(...RUNES), { maxLength: 6 }).map((cs) => cs.join(''))
const fieldName = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_'.split('')), {
    minLength: 1,
    maxLength: 6,
  })
  .map((cs) => cs.join(''))
const variantOf = (name: string): fc.Arbitrary<string> =>
  fc
    .tuple(...Array.from(name).map((ch) => fc.constantFrom(...orbitOf(ch))))
    .map((cs) => cs.join(''))

describe('field name folding, against a table of Go fold orbits', () => {
  it('goFieldNameMatches is bytes.EqualFold against a lower-case field name', () => {
    fc.assert(
      fc.property(
        fieldName.chain((name) => fc.tuple(fc.constant(name), fc.oneof(key, variantOf(name)))),
        ([name, k]) => goFieldNameMatches(k, name) === tableEqualFold(k, name),
      ),
      RUNS,
    )
  })

  it('goFoldKey(k) equals the name exactly when the two fold together', () => {
    fc.assert(
      fc.property(
        fieldName.chain((name) => fc.tuple(fc.constant(name), fc.oneof(key, variantOf(name)))),
        ([name, k]) => (goFoldKey(k) === name) === tableEqualFold(k, name),
      ),
      RUNS,
    )
  })

  it.each([
    ['iss', 'iss', true],
    ['ISS', 'iss', true],
    ['i\u017fs', 'iss', true],
    ['I\u017f\u017f', 'iss', true],
    ['\u212aid', 'kid', true],
    ['\u0131ss', 'iss', false],
    ['\u0130ss', 'iss', false],
    ['i\uff53s', 'iss', false],
    ['iss ', 'iss', false],
  ])('%j against %j: %s', (k, name, want) => {
    expect(goFieldNameMatches(k, name)).toBe(want)
  })
})

function tokenWith(payloadJson: string): string {
  return `${b64url({ alg: 'RS256' })}.${Buffer.from(payloadJson).toString('base64url')}.sig`
}

describe('the untrusted issuer follows document order and folding', () => {
  it.each([
    [
      'a folded iss after the plain one wins',
      '{"iss":"https://a","i\u017fs":"https://b"}',
      'https://b',
    ],
    [
      'the plain iss after a folded one wins',
      '{"i\u017fs":"https://b","iss":"https://a"}',
      'https://a',
    ],
    ['upper case counts', '{"iss":"https://a","ISS":"https://b"}', 'https://b'],
    [
      'an exact duplicate after a folded key wins (JSON.parse would keep the first position)',
      '{"iss":"https://a","I\u017fS":"https://b","iss":"https://c"}',
      'https://c',
    ],
    ['a dotless i does not fold', '{"iss":"https://a","\u0131ss":"https://b"}', 'https://a'],
    ['escaped keys are decoded first', '{"iss":"https://a","i\\u017fs":"https://b"}', 'https://b'],
  ])('%s', (_name, payload, issuer) => {
    expect(peekUntrustedIssuer(tokenWith(payload))?.issuer).toBe(issuer)
  })

  it('the routing issuer is the last member that folds to "iss" (property)', () => {
    const member = fc.tuple(
      fc.oneof(variantOf('iss'), key),
      fc.string({ maxLength: 8 }).map((s) => `https://${s}`),
    )
    fc.assert(
      fc.property(fc.array(member, { maxLength: 6 }), (members) => {
        const text = `{${members.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`
        const want = members.findLast(([k]) => tableEqualFold(k, 'iss'))?.[1] ?? ''
        return peekUntrustedIssuer(tokenWith(text))?.issuer === want
      }),
      RUNS,
    )
  })

  it('objectMembers keeps every member in document order', () => {
    expect(objectMembers(' { "a" : [1,{"b":"}"}] , "a":"x\\"y" ,"c":null}')).toEqual([
      { key: 'a', raw: '[1,{"b":"}"}]' },
      { key: 'a', raw: '"x\\"y"' },
      { key: 'c', raw: 'null' },
    ])
  })
})

const settings = verifierSettings('https://issuer', ['aud'])
const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
const keys = staticKeySet({
  keys: [{ ...signingKey.publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig' }],
})

/** A token whose payload is `payloadJson` verbatim, validly signed (RS256, kid k1). */
function signedTokenWith(payloadJson: string): string {
  const signingInput = `${b64url({ alg: 'RS256', kid: 'k1' })}.${Buffer.from(payloadJson).toString('base64url')}`
  const signature = sign('sha256', Buffer.from(signingInput), signingKey.privateKey)
  return `${signingInput}.${signature.toString('base64url')}`
}

describe('exp through Go time.Unix', () => {
  it.each([
    ['2^63-62135596801 does not wrap: far future, not expired', '9223371974719179007', false],
    ['2^63-62135596800 wraps into the past: expired', '9223371974719179008', true],
    ['2^63-1 wraps: expired', '9223372036854775807', true],
    ['2^63 is no int64; as a float it converts to MinInt64: expired', '9223372036854775808', true],
    ['a float in the wrapping range: expired', '9.2233720e18', true],
    ['a quoted numeral in the wrapping range: expired', '"9223372036854775000"', true],
    ['a quoted numeral below it: not expired', '"9223371974719179007"', false],
    ['an ordinary future exp: not expired', '1900000000', false],
  ])('%s', async (_name, exp, expired) => {
    const payload = `{"iss":"https://issuer","aud":"aud","exp":${exp}}`
    const peeked = peekUntrustedIssuer(signedTokenWith(payload))
    if (peeked === undefined) throw new Error('peek failed')
    const result = verifyToken(peeked, settings, keys, NOW)
    if (expired) await expect(result).rejects.toMatchObject({ reason: 'expired' })
    else await expect(result).resolves.toBeDefined()
  })

  it('the last exp by folding is the one checked', () => {
    const peeked = peekUntrustedIssuer(tokenWith('{"EXP":1,"exp":1900000000,"e\u0078p":2}'))
    expect(peeked && decodeStandardClaims(peeked.members).exp).toBe(2)
  })
})
