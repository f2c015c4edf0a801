/**
 * The typed decode of the standard claims that go-oidc does before any other
 * check: Go's field folding, the last duplicate winning, the first plain type
 * error kept, a custom unmarshaler's error ending the decode at once.
 */
import { describe, expect, it } from '@jest/globals'
import { objectMembers } from '../../../src/go/json-members.js'
import { decodeStandardClaims } from '../../../src/token/standard-claims.js'

function decode(json: string) {
  const members = objectMembers(json)
  if (members === undefined) throw new Error(`not an object: ${json}`)
  return decodeStandardClaims(members)
}

const UNMARSHAL = 'oidc: failed to unmarshal claims: '

describe('decodeStandardClaims', () => {
  it.each<[string, string, object]>([
    [
      'the typed claims',
      '{"iss":"https://x","aud":["a","b"],"exp":1700000000,"nbf":1600000000}',
      { iss: 'https://x', aud: ['a', 'b'], exp: 1700000000, nbf: 1600000000 },
    ],
    ['a single audience as a string', '{"aud":"a"}', { aud: ['a'] }],
    ['absent claims', '{}', { iss: '', aud: undefined, exp: undefined, nbf: undefined }],
    ['a null nbf', '{"nbf":null}', { nbf: undefined }],
    [
      'a quoted numeral as exp (go-oidc decodes through json.Number)',
      '{"exp":"1700000000"}',
      { exp: 1700000000 },
    ],
    ['a fractional exp, truncated', '{"exp":1700000000.9}', { exp: 1700000000 }],
    [
      'a folded field name (ISS, the long s of ſub)',
      '{"ISS":"https://x","ſub":"me"}',
      { iss: 'https://x' },
    ],
    ['the last duplicate', '{"iss":"https://a","iss":"https://b"}', { iss: 'https://b' }],
    ['an escaped iss, decoded', '{"iss":"https:\\/\\/x\\u00e9"}', { iss: 'https://xé' }],
    ['an exponent exp', '{"exp":1.7e9,"nbf":-0}', { exp: 1700000000, nbf: 0 }],
    ['a negative nbf', '{"nbf":-5}', { nbf: -5 }],
    [
      'claim sources that name every source',
      '{"_claim_names":{"groups":"s"},"_claim_sources":{"s":{"endpoint":"https://e"}}}',
      { iss: '' },
    ],
  ])('decodes %s', (_name, json, want) => {
    expect(decode(json)).toMatchObject(want)
  })

  it.each<[string, string, string]>([
    [
      'a numeric iss',
      '{"iss":5}',
      `${UNMARSHAL}json: cannot unmarshal number into Go struct field idToken.iss of type string`,
    ],
    [
      'an exp that is not a number',
      '{"exp":"abc"}',
      `${UNMARSHAL}json: invalid number literal, trying to unmarshal "\\"abc\\"" into Number`,
    ],
    ['a null exp', '{"exp":null}', `${UNMARSHAL}strconv.ParseFloat: parsing "": invalid syntax`],
    [
      'an audience object',
      '{"aud":{}}',
      `${UNMARSHAL}json: cannot unmarshal object into Go struct field idToken.aud of type []string`,
    ],
    [
      'the first plain error, not a later one',
      '{"iss":5,"sub":true}',
      `${UNMARSHAL}json: cannot unmarshal number into Go struct field idToken.iss of type string`,
    ],
    [
      "a custom unmarshaler's error over an earlier plain one",
      '{"iss":5,"exp":"abc"}',
      `${UNMARSHAL}json: invalid number literal, trying to unmarshal "\\"abc\\"" into Number`,
    ],
    [
      'a claim name with no source',
      '{"_claim_names":{"groups":""}}',
      'oidc: failed to obtain source from claim name',
    ],
    [
      'a claim name whose source is missing',
      '{"_claim_names":{"groups":"s"}}',
      'oidc: source does not exist',
    ],
  ])('refuses %s', (_name, json, message) => {
    expect(() => decode(json)).toThrow(message)
  })
})
