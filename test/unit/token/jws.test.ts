/** The compact JWS as go-jose v2 parses it before go-oidc looks: messages are go-jose's, wrapped as go-oidc wraps them. */
import { describe, expect, it } from '@jest/globals'
import { parseJws } from '../../../src/token/jws.js'
import { b64url } from '../../helpers/tokens.js'

const PAYLOAD = b64url({ iss: 'https://x' })
const SIG = b64url('sig')

function parse(header: string, payload = PAYLOAD, signature = SIG) {
  return parseJws([header, payload, signature])
}

describe('parseJws', () => {
  it('reads alg and kid, and keeps the signing input exactly as sent', () => {
    const header = b64url({ alg: 'ES256', kid: 'k1' })
    const parsed = parse(header)
    expect(parsed).toMatchObject({ alg: 'ES256', kid: 'k1', unsupportedCritical: false })
    expect(parsed.signingInput.toString('latin1')).toBe(`${header}.${PAYLOAD}`)
    expect(parsed.signature.toString()).toBe('sig')
  })

  it('strips whitespace inside each part, as go-jose does', () => {
    const header = b64url({ alg: 'RS256' })
    const parsed = parse(`${header.slice(0, 3)}\n ${header.slice(3)}`, ` ${PAYLOAD}\t`)
    expect(parsed.alg).toBe('RS256')
    expect(parsed.signingInput.toString('latin1')).toBe(`${header}.${PAYLOAD}`)
  })

  it.each<[string, string, Partial<ReturnType<typeof parseJws>>]>([
    ['an empty header', '', { alg: '', kid: undefined }],
    ['a null header', b64url('null'), { alg: '', kid: undefined }],
    ['a null kid', b64url({ alg: 'RS256', kid: null }), { alg: 'RS256', kid: undefined }],
    ['an empty kid', b64url({ alg: 'RS256', kid: '' }), { kid: '' }],
    ['a crit member', b64url({ alg: 'RS256', crit: ['exp'] }), { unsupportedCritical: true }],
  ])('accepts %s', (_name, header, want) => {
    expect(parse(header)).toMatchObject(want)
  })

  it.each<[string, string, string, string]>([
    ['a header that is not base64url', 'e30*', SIG, 'illegal base64 data at input byte 3'],
    [
      'a signature that is not base64url',
      b64url({ alg: 'RS256' }),
      'c2ln=',
      'illegal base64 data at input byte 4',
    ],
    [
      'a header that is not JSON',
      b64url('{nope'),
      SIG,
      'invalid character in protected header (not JSON)',
    ],
    [
      'a header that is an array',
      b64url('[]'),
      SIG,
      'json: cannot unmarshal array into Go value of type jose.rawHeader',
    ],
    [
      'a numeric alg',
      b64url({ alg: 5 }),
      SIG,
      'failed to unmarshal JWK algorithm: json: cannot unmarshal number into Go value of type string: "5"',
    ],
    [
      'a kid that is an object',
      b64url({ alg: 'RS256', kid: { a: 1 } }),
      SIG,
      'failed to unmarshal JWK key ID: json: cannot unmarshal object into Go value of type string: "{\\"a\\":1}"',
    ],
  ])('refuses %s', (_name, header, signature, message) => {
    expect(() => parse(header, PAYLOAD, signature)).toThrow(`oidc: malformed jwt: ${message}`)
  })
})
