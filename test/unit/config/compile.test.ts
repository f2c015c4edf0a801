import { describe, expect, it } from '@jest/globals'
import { createHash, webcrypto } from 'node:crypto'
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { canonicalJSON } from '../../../src/config/compile.js'
import { checkCertificateAuthority } from '../../../src/config/certificate-authority.js'
import { parseAuthenticationConfig } from '../../../src/config/load.js'

const HEAD = 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n'
const hex = (s: string) => createHash('sha256').update(s).digest('hex')

function compile(text: string) {
  const result = parseAuthenticationConfig(text)
  if (!result.ok) throw new Error(result.errors.join('\n'))
  return result.config
}

describe('compiled config', () => {
  const text = `${HEAD}jwt:
- issuer:
    url: https://issuer.example.com/
    audiences: [a, b]
    audienceMatchPolicy: MatchAny
  claimValidationRules:
  - expression: claims.x == 'y'
    message: need x
  - claim: hd
    requiredValue: example.com
  - claim: empty
  claimMappings:
    username: {claim: sub, prefix: ""}
    groups: {prefix: ignored}
    extra:
    - key: example.org/t
      valueExpression: claims.t
  userValidationRules:
  - expression: user.username != 'root'
- issuer:
    url: https://other.example.com
    discoveryURL: https://internal.example.com/x
    audiences: [c]
  claimMappings:
    username: {expression: claims.sub}
    groups: {expression: claims.groups}
    uid: {claim: sub}
`
  const config = compile(text)

  it('carries the hash of the file content', () => {
    expect(config.hash).toBe(`sha256:${hex(text)}`)
    expect(config.apiVersion).toBe('apiserver.config.k8s.io/v1')
  })

  it('defaults discoveryURL from url with one trailing slash trimmed', () => {
    expect(config.jwt.map((j) => [j.issuer.discoveryURL, j.issuer.discoveryURLExplicit])).toEqual([
      ['https://issuer.example.com/.well-known/openid-configuration', false],
      ['https://internal.example.com/x', true],
    ])
  })

  it('hashes the issuer url and fingerprints the entry', () => {
    const first = config.jwt[0]
    expect(first?.issuerHash).toBe(`sha256:${hex('https://issuer.example.com/')}`)
    expect(first?.fingerprint).toBe(`sha256:${hex(canonicalJSON(first?.source))}`)
    expect(config.jwt[1]?.fingerprint).not.toBe(first?.fingerprint)
    expect(first?.index).toBe(0)
    expect(config.jwt[1]?.index).toBe(1)
  })

  it('orders claim rules claim-first, then expressions', () => {
    const rules = config.jwt[0]?.claimValidationRules ?? []
    expect(
      rules.map((r) =>
        r.kind === 'claim'
          ? `${r.claim}=${r.requiredValue}`
          : `${r.expression.expression}|${r.message}`,
      ),
    ).toEqual(['hd=example.com', 'empty=', "claims.x == 'y'|need x"])
  })

  it('maps claims and expressions, dropping a prefix-only groups mapping', () => {
    const [a, b] = config.jwt
    expect(a?.claimMappings.username).toEqual({ kind: 'claim', claim: 'sub', prefix: '' })
    expect(a?.claimMappings.groups).toBeUndefined()
    expect(a?.claimMappings.uid).toBeUndefined()
    expect(a?.claimMappings.extra.map((e) => [e.key, e.valueExpression.expression])).toEqual([
      ['example.org/t', 'claims.t'],
    ])
    expect(a?.userValidationRules.map((r) => [r.expression.expression, r.message])).toEqual([
      ["user.username != 'root'", ''],
    ])
    expect(b?.claimMappings.username.kind).toBe('expression')
    expect(b?.claimMappings.groups?.kind).toBe('expression')
    expect(b?.claimMappings.uid).toEqual({ kind: 'claim', claim: 'sub' })
    expect(b?.issuer.audienceMatchPolicy).toBe('')
    expect(a?.issuer.audiences).toEqual(['a', 'b'])
  })

  it('is deeply frozen', () => {
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.jwt)).toBe(true)
    expect(Object.isFrozen(config.jwt[0]?.issuer.audiences)).toBe(true)
    expect(Object.isFrozen(config.jwt[0]?.source.issuer)).toBe(true)
    expect(Object.isFrozen(config.jwt[0]?.claimMappings.extra[0])).toBe(true)
    expect(() => (config.jwt[0]?.issuer.audiences as string[]).push('x')).toThrow(TypeError)
  })

  it('canonical JSON ignores key order', () => {
    expect(canonicalJSON({ b: 1, a: [{ d: 2, c: 3 }], u: undefined })).toBe(
      '{"a":[{"c":3,"d":2}],"b":1}',
    )
  })
})

describe('error order within and across entries', () => {
  it('issuer, claim rules, mappings, email rule, user rules, then duplicates', () => {
    const text = `${HEAD}jwt:
- issuer: {url: https://a.example.com, audiences: [k]}
  claimMappings: {username: {claim: sub, prefix: ""}}
- issuer:
    url: https://a.example.com
    discoveryURL: https://a.example.com
    audiences: [k, k]
    certificateAuthority: nope
  claimValidationRules:
  - claim: x
    message: m
  claimMappings:
    username: {expression: claims.email}
    groups: {claim: g}
  userValidationRules:
  - expression: user.uid
anonymous: {conditions: [{path: /livez}]}
`
    expect(parseAuthenticationConfig(text)).toEqual({
      ok: false,
      stage: 'validate',
      errors: [
        'jwt[1].issuer.discoveryURL: Invalid value: "https://a.example.com": discoveryURL must be different from URL',
        'jwt[1].issuer.audiences[1]: Duplicate value: "k"',
        'jwt[1].issuer.audienceMatchPolicy: Invalid value: "": audienceMatchPolicy must be MatchAny for multiple audiences',
        'jwt[1].issuer.certificateAuthority: Invalid value: "<omitted>": data does not contain any valid RSA or ECDSA certificates',
        'jwt[1].claimValidationRules[0].message: Invalid value: "m": may not be specified when claim is set',
        'jwt[1].claimMappings.groups.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing',
        'jwt[1].claimMappings.username.expression: Invalid value: "claims.email": claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression',
        'jwt[1].userValidationRules[0].expression: Invalid value: "user.uid": must evaluate to bool',
        'jwt[1].issuer.url: Duplicate value: "https://a.example.com"',
        'anonymous.conditions: Invalid value: [{"Path":"/livez"}]: enabled should be set to true when conditions are defined',
      ],
    })
  })

  it('a username mapping with its own error does not trigger the email rule', () => {
    const text = `${HEAD}jwt:
- issuer: {url: https://a.example.com, audiences: [k]}
  claimMappings: {username: {expression: claims.email, prefix: ""}}
`
    expect(parseAuthenticationConfig(text)).toMatchObject({
      errors: [
        'jwt[0].claimMappings.username.prefix: Invalid value: "": may not be specified when expression is set',
      ],
    })
  })

  it('a claim rule that fails the bool check does not satisfy the email rule', () => {
    const text = `${HEAD}jwt:
- issuer: {url: https://a.example.com, audiences: [k]}
  claimValidationRules: [{expression: claims.email_verified}]
  claimMappings: {username: {expression: claims.email}}
`
    const result = parseAuthenticationConfig(text)
    expect(result.ok ? [] : result.errors.map((e) => e.split(': ')[0])).toEqual([
      'jwt[0].claimValidationRules[0].expression',
      'jwt[0].claimMappings.username.expression',
    ])
  })
})

describe('certificateAuthority', () => {
  async function selfSigned(): Promise<string> {
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
    const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=test-ca',
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2035-01-01T00:00:00Z'),
      keys: keys as webcrypto.CryptoKeyPair,
      signingAlgorithm: alg,
    })
    return cert.toString('pem')
  }

  it('accepts a PEM certificate, also amid other blocks and text', async () => {
    const pem = await selfSigned()
    expect(checkCertificateAuthority(pem)).toBeUndefined()
    expect(
      checkCertificateAuthority(
        `comment\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n${pem}`,
      ),
    ).toBeUndefined()
    const text = `${HEAD}jwt:\n- issuer:\n    url: https://a.example.com\n    audiences: [k]\n    certificateAuthority: |\n${pem
      .trim()
      .split('\n')
      .map((l) => `      ${l}`)
      .join('\n')}\n  claimMappings: {username: {claim: sub, prefix: ""}}\n`
    const result = parseAuthenticationConfig(text)
    expect(
      result.ok && result.config.jwt[0]?.issuer.certificateAuthority?.includes('BEGIN CERTIFICATE'),
    ).toBe(true)
  })

  it.each([
    {
      name: 'garbage',
      pem: 'garbage',
      want: 'data does not contain any valid RSA or ECDSA certificates',
    },
    {
      name: 'only a key',
      pem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
      want: 'data does not contain any valid RSA or ECDSA certificates',
    },
    {
      name: 'broken certificate',
      pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      want: 'x509: malformed certificate',
    },
  ])('$name', ({ pem, want }) => {
    expect(checkCertificateAuthority(pem)).toBe(want)
  })
})
